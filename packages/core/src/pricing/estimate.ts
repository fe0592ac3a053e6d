// The cost estimate (SPEC §6, REFERENCE §4–5): one pure function used by the
// request form's live estimate and by the ops review, so both always agree.
// All arithmetic is on integers (BigInt): prices in millionths of the
// currency unit, the result rounded once, half up, to cents.

export interface EstimateInput {
  startDate: string;
  endDate: string;
  /** Weekly meetings; only their lengths matter to the cost. */
  meetings: ReadonlyArray<{ durationMinutes: number }>;
  expectedEnrollment: number;
  expectedConcurrentUsers: number;
  memoryGuaranteeMib: number;
  cpuGuaranteeMilli: number;
  storageGib: number;
}

export interface EstimatePricing {
  currency: string;
  /** The user node pool the hub's servers are packed onto. */
  userNode: { machineType: string; vcpu: number; memoryMib: number; hourlyPriceMicros: number };
  storagePerGibMonthMicros: number;
}

export interface CostEstimate {
  currency: string;
  totalCents: bigint;
  perStudentMonthCents: bigint;
  computeCents: bigint;
  storageCents: bigint;
  termDays: number;
  /** Server-minutes a week: class meetings plus background use. */
  weeklySeatMinutes: number;
  /** Which resource decides how many servers fit on a node. */
  packingLimitedBy: "memory" | "cpu";
  seatsPerNode: number;
  assumptions: string[];
}

// Model constants, each stated to the requester in `assumptions`.
/** After a session, a server idles until the culler stops it (REFERENCE §4: 1 h). */
export const idleTailMinutes = 60;
/** Background sessions per student per week outside class (REFERENCE §4: ≈2.5). */
export const backgroundSessionsPerStudentPerWeekTimesTen = 25;
/** A background session's active time (REFERENCE §4: median 40 min) plus the idle tail. */
export const backgroundSessionMinutes = 40 + idleTailMinutes;
/** Share of a node's memory and CPU left for users after the system's reservation. */
export const allocatablePercent = 90;
/** The estimate's month, for the per-student figure and storage. */
export const daysPerMonth = 30;

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** a / b rounded half up, for non-negative integers. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

function formatMoney(cents: bigint, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(
    Number(cents) / 100,
  );
}

export function estimateHubCost(input: EstimateInput, pricing: EstimatePricing): CostEstimate {
  const termDays = dayNumber(input.endDate) - dayNumber(input.startDate) + 1;
  if (!(termDays > 0)) throw new RangeError("The course must end after it starts");

  // Server-minutes per week: everyone expected at once during each meeting
  // (plus the idle tail), and background sessions from every student.
  const classSeatMinutes = input.meetings.reduce(
    (sum, meeting) =>
      sum + input.expectedConcurrentUsers * (meeting.durationMinutes + idleTailMinutes),
    0,
  );
  const backgroundSeatMinutes =
    (input.expectedEnrollment *
      backgroundSessionsPerStudentPerWeekTimesTen *
      backgroundSessionMinutes) /
    10;
  const weeklySeatMinutes = classSeatMinutes + backgroundSeatMinutes;

  // A server takes the larger of its memory share and its CPU share of a node.
  const nodeMemoryMib = BigInt(pricing.userNode.memoryMib) * BigInt(allocatablePercent);
  const nodeCpuMilli = BigInt(pricing.userNode.vcpu * 1000) * BigInt(allocatablePercent);
  const memoryShare = {
    numerator: BigInt(input.memoryGuaranteeMib) * 100n,
    denominator: nodeMemoryMib,
  };
  const cpuShare = { numerator: BigInt(input.cpuGuaranteeMilli) * 100n, denominator: nodeCpuMilli };
  const isCpuLimited =
    cpuShare.numerator * memoryShare.denominator > memoryShare.numerator * cpuShare.denominator;
  const share = isCpuLimited ? cpuShare : memoryShare;
  const seatsPerNode = Number(share.denominator / share.numerator);

  // compute = weekly seat-minutes × weeks × node share × hourly price / 60
  const computeMicrosNumerator =
    BigInt(Math.round(weeklySeatMinutes * 10)) *
    BigInt(termDays) *
    share.numerator *
    BigInt(pricing.userNode.hourlyPriceMicros);
  const computeMicrosDenominator = 10n * 7n * share.denominator * 60n;
  // storage = students × GiB × price per GiB-month × months
  const storageMicrosNumerator =
    BigInt(input.expectedEnrollment) *
    BigInt(input.storageGib) *
    BigInt(pricing.storagePerGibMonthMicros) *
    BigInt(termDays);
  const storageMicrosDenominator = BigInt(daysPerMonth);

  const microsPerCent = 10_000n;
  const computeCents = divideRounded(
    computeMicrosNumerator,
    computeMicrosDenominator * microsPerCent,
  );
  const storageCents = divideRounded(
    storageMicrosNumerator,
    storageMicrosDenominator * microsPerCent,
  );
  const totalCents = computeCents + storageCents;
  // per student per month = total × 30 / (students × term days)
  const perStudentMonthCents = divideRounded(
    totalCents * BigInt(daysPerMonth),
    BigInt(input.expectedEnrollment) * BigInt(termDays),
  );

  const node = pricing.userNode;
  const hourly = (Number(node.hourlyPriceMicros) / 1_000_000).toFixed(3);
  const assumptions = [
    `Term: ${input.startDate} to ${input.endDate}, ${termDays} days.`,
    `In class: ${input.expectedConcurrentUsers} students at once in each of ${input.meetings.length} weekly meetings, each server idling ${idleTailMinutes} min after class until it is culled.`,
    `Outside class: ${backgroundSessionsPerStudentPerWeekTimesTen / 10} sessions per student per week of ${backgroundSessionMinutes - idleTailMinutes} min active plus the ${idleTailMinutes}-min idle tail.`,
    `That is ${weeklySeatMinutes.toLocaleString("en-US")} server-minutes a week.`,
    `Servers run on ${node.machineType} nodes (${node.vcpu} vCPU, ${Math.round(node.memoryMib / 1024)} GiB, $${hourly}/h); ${allocatablePercent}% of each node is usable, so ${seatsPerNode} servers fit per node, limited by ${isCpuLimited ? "the CPU guarantee" : "the memory guarantee"} (you pay for what you request, not what you use).`,
    `Compute: ${formatMoney(computeCents, pricing.currency)}.`,
    `Storage: ${input.expectedEnrollment} students × ${input.storageGib} GiB × $${(pricing.storagePerGibMonthMicros / 1_000_000).toFixed(2)} per GiB-month for ${termDays} days (a month is ${daysPerMonth} days) = ${formatMoney(storageCents, pricing.currency)}.`,
    "Shared cluster costs (control plane, core nodes, load balancer) are carried by the federation and not included.",
  ];

  return {
    currency: pricing.currency,
    totalCents,
    perStudentMonthCents,
    computeCents,
    storageCents,
    termDays,
    weeklySeatMinutes,
    packingLimitedBy: isCpuLimited ? "cpu" : "memory",
    seatsPerNode,
    assumptions,
  };
}
