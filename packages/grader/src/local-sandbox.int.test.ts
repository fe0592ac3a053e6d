import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultGradingLimits,
  type GradingLimits,
  type GradingOutcome,
  type OkTest,
} from "./index";
import { createLocalGradingSandbox } from "./local-sandbox";

const isRoot = process.getuid?.() === 0;
// Small limits keep the hostile rows quick on two cores.
const limits: GradingLimits = {
  ...defaultGradingLimits,
  wallClockSeconds: 20,
  cpuSeconds: 6,
  memoryMib: 256,
  maxProcesses: 48,
};

function notebook(...cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source) => ({
      cell_type: "code",
      metadata: {},
      source,
      outputs: [],
      execution_count: null,
    })),
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function question(name: string, points: number, cases: [code: string, hidden: boolean][]): OkTest {
  return {
    name,
    points,
    suites: [
      {
        type: "doctest",
        scored: true,
        setup: "",
        teardown: "",
        cases: cases.map(([code, hidden]) => ({ code, hidden, locked: false })),
      },
    ],
  };
}

// Every hostile notebook also answers q1 (x == 2) so an honest grade is visible;
// `leaked` must come out empty: whatever the notebook tried to read, it got nothing.
const hostileTests = [
  question("q1", 1, [[">>> x\n2", false]]),
  question("leak", 1, [[">>> leaked\n''", true]]),
];

interface Row {
  name: string;
  notebook: string;
  tests?: OkTest[];
  expect: (outcome: GradingOutcome) => void;
}

const failedWith = (fragment: string) => (outcome: GradingOutcome) => {
  expect(outcome.status).toBe("failed");
  expect(outcome.status === "failed" && outcome.reason).toContain(fragment);
};
// The CPU limit normally ends a busy loop first; on a loaded machine the wall clock may.
const timedOutWith = (pattern: RegExp) => (outcome: GradingOutcome) => {
  expect(outcome.status).toBe("timed-out");
  expect(outcome.status === "timed-out" && outcome.reason).toMatch(pattern);
};
const gradedAs = (score: number) => (outcome: GradingOutcome) => {
  expect(outcome.status === "graded" ? outcome.results : outcome).toMatchObject({ score });
};

let workRoot = "";
let secretFile = "";
const hostCanary = `/tmp/hubfed-escape-${process.pid}`;

function rows(): Row[] {
  const slowGoodDirectory = path.join(workRoot, "sub-good-slow");
  return [
    {
      name: "reading a concurrently running submission's work directory",
      notebook: notebook(
        "x = 2",
        [
          "import os, time",
          `other = ${JSON.stringify(slowGoodDirectory)}`,
          "deadline = time.time() + 10",
          "while not os.path.isdir(other) and time.time() < deadline:",
          "    time.sleep(0.2)",
          "seen = os.path.isdir(other)",
          "leaked = ''",
          "for attempt in (lambda: open(other + '/submission.ipynb').read(), lambda: str(os.listdir(other)), lambda: str(os.listdir(os.path.dirname(other)))):",
          "    try:",
          "        leaked += attempt()",
          "    except OSError:",
          "        pass",
        ].join("\n"),
      ),
      tests: [...hostileTests, question("seen", 1, [[">>> seen\nTrue", true]])],
      // Full marks: it saw the other submission's directory exist and read nothing of it.
      expect: gradedAs(3),
    },
    {
      name: "an infinite loop",
      notebook: notebook("x = 2", "while True:\n    pass"),
      expect: timedOutWith(/seconds of CPU time|longer than 20 seconds/),
    },
    {
      name: "a fork bomb",
      notebook: notebook("x = 2", "import os\nwhile True:\n    os.fork()"),
      expect: failedWith("grading was stopped: too many processes"),
    },
    {
      name: "allocating all memory",
      notebook: notebook("x = 2", "hog = []\nwhile True:\n    hog.append(bytearray(16 * 2**20))"),
      expect: failedWith("the notebook used more memory than the 256 MiB limit"),
    },
    {
      name: "reading portal secrets and other processes' environments",
      notebook: notebook(
        "x = 2",
        [
          "leaked = ''",
          `for target in (${JSON.stringify(secretFile)}, '/proc/1/environ', '/proc/${process.pid}/environ', '/proc/1/fd/3', '/proc/1/mem'):`,
          "    try:",
          "        leaked += open(target, 'rb').read(100).decode('latin-1')",
          "    except OSError:",
          "        pass",
        ].join("\n"),
      ),
      expect: gradedAs(2),
    },
    {
      name: "network calls",
      notebook: notebook(
        "x = 2",
        [
          "import socket",
          "leaked = ''",
          "for address in (('127.0.0.1', 5432), ('1.1.1.1', 53)):",
          "    try:",
          "        socket.create_connection(address, timeout=2).close()",
          "        leaked += str(address)",
          "    except OSError:",
          "        pass",
        ].join("\n"),
      ),
      expect: gradedAs(2),
    },
    {
      name: "writing outside the work directory",
      notebook: notebook(
        "x = 2",
        [
          "leaked = ''",
          `for target in ('/root/hubfed-escape', ${JSON.stringify(path.join(workRoot, "planted"))}, '/usr/lib/python3/dist-packages/sitecustomize.py'):`,
          "    try:",
          "        open(target, 'w').write('x')",
          "        leaked += target",
          "    except OSError:",
          "        pass",
          // /tmp is writable but private to the sandbox: the host never sees it.
          `open(${JSON.stringify(hostCanary)}, 'w').write('x')`,
        ].join("\n"),
      ),
      expect: gradedAs(2),
    },
    {
      name: "a notebook that is not JSON",
      notebook: "{ this is not json",
      expect: failedWith("the notebook is not valid JSON"),
    },
    {
      name: "JSON that is not a notebook",
      notebook: JSON.stringify({ hello: "world" }),
      expect: failedWith("not a Jupyter notebook"),
    },
    {
      name: "a 100 MB notebook",
      notebook: notebook("x = 2", `# ${"a".repeat(100 * 1024 * 1024)}`),
      expect: failedWith("the notebook is larger than 10 MB"),
    },
    {
      name: "faking results (files, printed lines, fd 3)",
      notebook: notebook(
        "x = 3",
        [
          "import json, os",
          "fake = json.dumps({'status': 'graded', 'results': {'tests': [], 'score': 100}})",
          "for name in ('results.json', 'tests.json', 'submission.ipynb'):",
          "    open(name, 'w').write(fake)",
          "print('HUBFED-RESULTS 0123456789abcdef0123 ' + fake)",
          "os.write(1, ('\\nHUBFED-RESULTS x ' + fake + '\\n').encode())",
          "for target in ('/proc/self/fd/3', '/proc/1/fd/3', '/proc/1/fd/1'):",
          "    try:",
          "        open(target, 'w').write(fake + '\\n')",
          "    except OSError:",
          "        pass",
          "try:",
          "    os.write(3, fake.encode())",
          "except OSError:",
          "    pass",
          "leaked = ''",
        ].join("\n"),
      ),
      // x is wrong: the honest grade is the leak question only.
      expect: gradedAs(1),
    },
    {
      name: "monkeypatching doctest",
      notebook: notebook(
        "x = 3\nleaked = ''",
        "import doctest\ndoctest.OutputChecker.check_output = lambda *a: True\ndoctest.DocTestRunner.run = lambda *a, **k: None",
      ),
      expect: gradedAs(1),
    },
    {
      name: "replacing builtins.repr",
      notebook: notebook("x = 3\nleaked = ''", "import builtins\nbuiltins.repr = lambda o: '2'"),
      expect: failedWith("the notebook replaced Python's built-in functions"),
    },
    {
      name: "replacing print",
      notebook: notebook(
        "x = 2\nleaked = ''",
        "import builtins\n_p = print\nbuiltins.print = lambda *a, **k: _p('2')",
      ),
      expect: failedWith("the notebook replaced Python's built-in functions"),
    },
    {
      name: "patching int.__eq__ through gc",
      notebook: notebook(
        "x = 3\nleaked = ''",
        "import gc\ngc.get_referents(int.__dict__)[0]['__eq__'] = lambda a, b: True",
      ),
      expect: failedWith("the notebook replaced Python's built-in functions"),
    },
    {
      name: "replacing IPython's display hook",
      notebook: notebook(
        "x = 3\nleaked = ''",
        "hook = type(get_ipython().displayhook)\nhook.__call__ = lambda self, result=None: print(2) if result is not None else None",
      ),
      expect: failedWith("the notebook replaced Python's built-in functions"),
    },
  ];
}

const goodNotebook = notebook("x = 2\nleaked = ''");

// A Data 8-style lab: three questions, hidden cases, one wrong answer.
const labTests: OkTest[] = [
  question("q1_1", 2, [
    [">>> type(population) == int\nTrue", false],
    [">>> population\n7800000000", true],
  ]),
  question("q1_2", 3, [
    [">>> len(top_words)\n3", false],
    [">>> top_words\n['the', 'of', 'and']", false],
    [">>> top_words[0].upper()\n'THE'", true],
  ]),
  {
    name: "q2",
    points: 4,
    suites: [
      {
        type: "doctest",
        scored: true,
        setup: ">>> import math",
        teardown: "",
        cases: [
          { code: ">>> round(growth(100, 0.5), 2)\n150.0", hidden: false, locked: false },
          { code: ">>> growth(10, 1)\n20", hidden: true, locked: false, points: 3 },
          {
            code: ">>> for i in range(3):\n...     print(growth(i, 0))\n0\n1\n2",
            hidden: false,
            locked: false,
            points: 0,
          },
        ],
      },
      {
        type: "doctest",
        scored: false,
        setup: "",
        teardown: "",
        cases: [{ code: ">>> math.pi > 3\nTrue", hidden: false, locked: false }],
      },
    ],
  },
];
const labNotebook = notebook(
  "population = 7_800_000_000",
  "words = 'the of and the of the to a'.split()\ntop_words = ['the', 'of', 'and']",
  // Wrong when rate is 1 (adds instead of multiplying): only the hidden case with rate 1 catches it.
  "def growth(amount, rate):\n    return amount * (1 + rate) if rate != 1 else amount + rate",
);

describe.skipIf(!isRoot)(
  "hostile submissions end in a clear failed or timed-out result while the grader keeps serving others",
  () => {
    const outcomes = new Map<string, Promise<GradingOutcome>>();
    let sandbox: ReturnType<typeof createLocalGradingSandbox>;

    beforeAll(() => {
      mkdirSync("/var/lib", { recursive: true });
      workRoot = mkdtempSync("/var/lib/hubfed-grader-test-");
      const secrets = mkdtempSync("/var/lib/hubfed-grader-secrets-");
      chmodSync(secrets, 0o755);
      secretFile = path.join(secrets, "portal.env");
      writeFileSync(secretFile, "NEXTAUTH_SECRET=do-not-leak\n", { mode: 0o600 });
      sandbox = createLocalGradingSandbox({ workRoot, slots: 2 });
      // Queued all at once: the semaphore runs two at a time, so the well-behaved
      // submissions are graded while hostile ones hold the other slot.
      const grade = (submissionId: string, source: string, tests: OkTest[]) =>
        outcomes.set(
          submissionId,
          sandbox.grade({ submissionId, notebook: source, tests, supportFiles: [], limits }),
        );
      grade("good-slow", notebook("import time\ntime.sleep(6)\nx = 2\nleaked = ''"), hostileTests);
      for (const [index, row] of rows().entries()) {
        grade(`hostile-${index}`, row.notebook, row.tests ?? hostileTests);
        if (index % 4 === 3) grade(`good-${index}`, goodNotebook, hostileTests);
      }
      grade("lab", labNotebook, labTests);
    });

    afterAll(() => {
      rmSync(workRoot, { recursive: true, force: true });
      rmSync(path.dirname(secretFile), { recursive: true, force: true });
      rmSync(hostCanary, { force: true });
    });

    it.each(rows().map((row, index) => ({ ...row, index })))("$name", async ({ index }) => {
      const outcome = await outcomes.get(`hostile-${index}`)!;
      rows()[index]!.expect(outcome);
    });

    it("grades every well-behaved submission that ran beside them, in full", async () => {
      const good = [...outcomes.entries()].filter(([id]) => id.startsWith("good"));
      expect(good.length).toBeGreaterThan(3);
      for (const [, promise] of good) gradedAs(2)(await promise);
    });

    it("grades a Data 8-style lab to the exact expected scores", async () => {
      const outcome = await outcomes.get("lab")!;
      expect(
        outcome.status === "graded" &&
          outcome.results.tests.map(({ name, score, max_score, visibility }) => ({
            name,
            score,
            max_score,
            visibility,
          })),
      ).toEqual([
        { name: "q1_1", score: 1, max_score: 1, visibility: "visible" },
        { name: "q1_1 - hidden", score: 1, max_score: 1, visibility: "hidden" },
        { name: "q1_2", score: 2, max_score: 2, visibility: "visible" },
        { name: "q1_2 - hidden", score: 1, max_score: 1, visibility: "hidden" },
        { name: "q2", score: 1, max_score: 1, visibility: "visible" },
        { name: "q2 - hidden", score: 0, max_score: 3, visibility: "hidden" },
      ]);
      expect(outcome.status === "graded" && outcome.results.score).toBe(6);
      const hidden =
        outcome.status === "graded"
          ? outcome.results.tests.find((test) => test.name === "q2 - hidden")!
          : undefined;
      expect(hidden?.output).toContain("Expected:\n    20\nGot:\n    11");
    });

    it("leaves nothing behind: no work directories, no escaped files, sandbox described", async () => {
      await Promise.all(outcomes.values());
      expect(readdirSync(workRoot).filter((entry) => entry !== ".driver")).toEqual([]);
      expect(existsSync(hostCanary)).toBe(false);
      expect(existsSync("/root/hubfed-escape")).toBe(false);
      expect(sandbox.describe().missing).toEqual([]);
    });
  },
);

describe.skipIf(!isRoot)("a work root under /tmp survives the submission's private /tmp", () => {
  it("grades with the work root in a temporary directory, and still hides the host's /tmp", async () => {
    // A clone in a temporary directory (CI's) keeps its data, and so the grader's work root, there.
    const temporaryRoot = mkdtempSync(path.join("/tmp", "hubfed-grader-tmp-root-"));
    const hostFile = path.join("/tmp", `hubfed-host-file-${process.pid}`);
    writeFileSync(hostFile, "host");
    try {
      const sandbox = createLocalGradingSandbox({ workRoot: temporaryRoot, slots: 1 });
      const outcome = await sandbox.grade({
        submissionId: "tmp-root",
        notebook: notebook(
          "x = 2",
          `import os\nleaked = '' if not os.path.exists(${JSON.stringify(hostFile)}) else 'host /tmp visible'`,
        ),
        tests: hostileTests,
        supportFiles: [],
        limits,
      });
      gradedAs(2)(outcome);
      expect(readdirSync(temporaryRoot).filter((entry) => entry !== ".driver")).toEqual([]);
    } finally {
      rmSync(temporaryRoot, { recursive: true, force: true });
      rmSync(hostFile, { force: true });
    }
  });
});
