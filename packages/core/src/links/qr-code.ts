import QRCode from "qrcode";

/** A QR code of a short link as an SVG document, for printing on slides and handouts. */
export function renderQrCodeSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
}
