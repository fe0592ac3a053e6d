import { formatCents, formatDate } from "~/lib/format";

/** What the figures of one allocation need; the course page and the credits dashboard both have it. */
interface AllocationFigures {
  budgetCents: bigint;
  burnedCents: bigint;
  burnedPercent: number;
  owedCents: bigint;
  currency: string;
  exhaustionDate: Date | null;
  forecastUntil: Date | null;
}

/**
 * An allocation's budget, its spend (with any usage its hold could not cover) and the day the
 * forecast says it runs out: the figures every spend view starts with, worded once. They are
 * `<div>`s of a `<dl>` the caller lays out beside its own figures.
 */
export function AllocationSpendFigures({
  allocation,
  emphasizeRunOut = false,
}: {
  allocation: AllocationFigures;
  /** Red when a run-out date is forecast (the course page, where it is the news). */
  emphasizeRunOut?: boolean;
}) {
  const { currency } = allocation;
  return (
    <>
      <div>
        <dt className="text-slate-500">Budget</dt>
        <dd className="font-semibold">{formatCents(allocation.budgetCents, currency)}</dd>
      </div>
      <div>
        <dt className="text-slate-500">Spent</dt>
        <dd className="font-semibold">
          {formatCents(allocation.burnedCents, currency)} ({allocation.burnedPercent}%)
          {allocation.owedCents > 0n ? (
            <span className="block font-normal text-red-700">
              + {formatCents(allocation.owedCents, currency)} not paid yet
            </span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt className="text-slate-500">Budget runs out</dt>
        <dd
          className={
            emphasizeRunOut && allocation.exhaustionDate ? "font-semibold text-red-700" : undefined
          }
        >
          {allocation.exhaustionDate
            ? formatDate(allocation.exhaustionDate)
            : allocation.forecastUntil
              ? `not before the course ends (${formatDate(allocation.forecastUntil)})`
              : "not at this rate"}
        </dd>
      </div>
    </>
  );
}
