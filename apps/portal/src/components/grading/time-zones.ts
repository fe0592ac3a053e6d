/** The IANA time zones this server knows, for the assignment form's select (read on the server, so both renders agree). */
export function timeZoneNames(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}
