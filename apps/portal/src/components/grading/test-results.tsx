import type { AppRouterOutputs } from "@hubfed/api";
import { formatScore } from "./grading-format";

type GradedTest = AppRouterOutputs["grading"]["submission"]["results"][number];

const visibilityLabels: Record<GradedTest["visibility"], string> = {
  visible: "public",
  hidden: "hidden",
  after_published: "hidden",
};

/** Each test's score and output; what a student may not see yet never reaches this component. */
export function TestResults({ results }: { results: GradedTest[] }) {
  if (results.length === 0) return null;
  return (
    <ul className="space-y-2" data-testid="test-results">
      {results.map((test, index) => {
        const passed = test.score >= test.max_score;
        return (
          <li
            key={`${test.name}-${index}`}
            data-testid="test-result"
            className="rounded-md border border-slate-200"
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2 px-3 py-1.5 text-sm">
              <span className="font-medium">
                <span aria-hidden="true" className={passed ? "text-green-700" : "text-red-700"}>
                  {passed ? "✓" : "✗"}
                </span>{" "}
                {test.name}
                <span className="ml-2 text-xs font-normal text-slate-500">
                  {visibilityLabels[test.visibility]}
                </span>
              </span>
              <span className="tabular-nums" data-testid="test-score">
                {formatScore(test.score)} / {formatScore(test.max_score)}
              </span>
            </div>
            {test.output.trim() ? (
              <pre className="max-h-64 overflow-auto border-t border-slate-100 bg-slate-50 px-3 py-2 text-xs whitespace-pre-wrap">
                {test.output}
              </pre>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
