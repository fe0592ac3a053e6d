// A hub's approved envelope: the capacity ops already agreed to when they
// approved the course's request. A capacity window inside it is approved at
// once; a window beyond it goes to ops, with its cost, before it is planned.
//
// The rule, defined here and nowhere else:
//   seats            ≤ expected concurrent users × 5/4 (rounded down), and
//   memory per seat  ≤ the hub spec's memory limit.
// Expected concurrency is what the request priced for every class meeting;
// the quarter on top absorbs a busier-than-average class without a review.
// Memory up to the limit is what each student could already use.

/** The envelope's seat factor, as a fraction (5/4 = 1.25 × expected concurrency). */
export const envelopeSeatFactor = { numerator: 5, denominator: 4 } as const;

export interface CapacityEnvelope {
  maxSeats: number;
  maxMemoryMibPerSeat: number;
}

/**
 * The envelope of a course's hub. With several hubs (sections on several
 * clusters) the smallest memory limit holds, so a window fits every hub.
 * A course without a live hub has no envelope: every window needs ops.
 */
export function capacityEnvelopeOf(
  course: { expectedConcurrentUsers: number },
  hubSpecs: ReadonlyArray<{ memoryLimitMib: number }>,
): CapacityEnvelope {
  if (hubSpecs.length === 0) return { maxSeats: 0, maxMemoryMibPerSeat: 0 };
  return {
    maxSeats: Math.floor(
      (course.expectedConcurrentUsers * envelopeSeatFactor.numerator) /
        envelopeSeatFactor.denominator,
    ),
    maxMemoryMibPerSeat: Math.min(...hubSpecs.map((spec) => spec.memoryLimitMib)),
  };
}

/** Why a window is beyond the envelope, in words for the instructor and ops; empty when it is within. */
export function envelopeExcessOf(
  window: { seats: number; memoryMibPerSeat: number },
  envelope: CapacityEnvelope,
): string[] {
  const reasons: string[] = [];
  if (envelope.maxSeats === 0) return ["the course has no running hub yet"];
  if (window.seats > envelope.maxSeats)
    reasons.push(`${window.seats} seats is more than the approved ${envelope.maxSeats}`);
  if (window.memoryMibPerSeat > envelope.maxMemoryMibPerSeat)
    reasons.push(
      `${window.memoryMibPerSeat} MiB per seat is more than the hub's limit of ${envelope.maxMemoryMibPerSeat} MiB`,
    );
  return reasons;
}
