import type { TableHTMLAttributes } from "react";

/**
 * A table that scrolls inside its own box on a narrow screen instead of
 * pushing the whole page sideways (every page must fit a 375 px phone).
 */
export function WideTable(props: TableHTMLAttributes<HTMLTableElement>) {
  return (
    <div className="overflow-x-auto">
      <table {...props} />
    </div>
  );
}
