import type { PricedDay } from "../credits/burn";
import { allocatablePercent, daysPerMonth, type EstimatePricing } from "../pricing/estimate";

// Pricing a hub's metered day (SPEC §6): requested resources packed onto the
// user pool's machine type, the same packing rule the estimate uses, plus
// storage. Integer arithmetic; one rounding to cents at the end.

export interface UsageSampleForPricing {
  sampledAt: Date;
  requestedMemoryMib: number;
  requestedMilliCpu: number;
  storageMib: bigint;
}

/** A sample stands for the time until the next one, but never longer than this (a gap means no data, not usage). */
export const maximumSampleSpanMs = 15 * 60_000;

function divideRounded(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/**
 * Prices one day of samples for one hub. `dayStart` is the UTC midnight of
 * the day; samples outside it are ignored.
 */
export function priceUsageDay(
  samples: readonly UsageSampleForPricing[],
  dayStart: Date,
  pricing: EstimatePricing,
): PricedDay {
  const dayEnd = dayStart.getTime() + 86_400_000;
  const inDay = samples
    .filter(
      (sample) =>
        sample.sampledAt.getTime() >= dayStart.getTime() && sample.sampledAt.getTime() < dayEnd,
    )
    .sort((a, b) => a.sampledAt.getTime() - b.sampledAt.getTime());
  const nodeMemory = BigInt(pricing.userNode.memoryMib) * BigInt(allocatablePercent);
  const nodeCpu = BigInt(pricing.userNode.vcpu * 1000) * BigInt(allocatablePercent);

  // node-milliseconds × 100, as the exact fraction numerator / (nodeMemory × nodeCpu)
  let nodeTimeNumerator = 0n;
  inDay.forEach((sample, index) => {
    const next = inDay[index + 1]?.sampledAt.getTime() ?? dayEnd;
    const spanMs = BigInt(
      Math.min(
        next - sample.sampledAt.getTime(),
        maximumSampleSpanMs,
        dayEnd - sample.sampledAt.getTime(),
      ),
    );
    // The larger of the memory share and the CPU share of a node, as a fraction over nodeMemory × nodeCpu.
    const memoryShare = BigInt(sample.requestedMemoryMib) * 100n * nodeCpu;
    const cpuShare = BigInt(sample.requestedMilliCpu) * 100n * nodeMemory;
    nodeTimeNumerator += (memoryShare > cpuShare ? memoryShare : cpuShare) * spanMs;
  });
  const shareDenominator = nodeMemory * nodeCpu;
  const msPerHour = 3_600_000n;
  const nodeMilliHours = Number(
    divideRounded(nodeTimeNumerator * 1000n, shareDenominator * msPerHour),
  );
  // Storage is billed for the whole day at the largest size seen.
  const largestStorageMib = inDay.reduce(
    (largest, sample) => (sample.storageMib > largest ? sample.storageMib : largest),
    0n,
  );
  const storageMibDays = largestStorageMib;
  const computeMicrosNumerator = nodeTimeNumerator * BigInt(pricing.userNode.hourlyPriceMicros);
  const computeMicrosDenominator = shareDenominator * msPerHour;
  const storageMicrosNumerator = storageMibDays * BigInt(pricing.storagePerGibMonthMicros);
  const storageMicrosDenominator = 1024n * BigInt(daysPerMonth);
  // Sum the two exact fractions, then round once.
  const microsNumerator =
    computeMicrosNumerator * storageMicrosDenominator +
    storageMicrosNumerator * computeMicrosDenominator;
  const microsDenominator = computeMicrosDenominator * storageMicrosDenominator;
  const costCents =
    inDay.length === 0 ? 0n : divideRounded(microsNumerator, microsDenominator * 10_000n);
  return { nodeMilliHours, storageMibDays, costCents };
}
