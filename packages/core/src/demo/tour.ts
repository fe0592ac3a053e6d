import { demoAssignment } from "./assignments";
import { demoContentLinks } from "./seed";

// The five-minute tour `npm start` prints and the README gives (a unit test
// keeps the README in step): the product's core loop first, as the student,
// then the same course as its instructor and as ops.

export interface TourStop {
  /** Who to sign in as on /signin (the development sign-in: pick the account, no password). */
  as: string;
  email: string;
  steps: string[];
}

const week1 = demoContentLinks[0]!;

export const demoTour: TourStop[] = [
  {
    as: "the student",
    email: "student@westvalley.edu",
    steps: [
      "My hubs (/) lists CS 120, a real JupyterHub on this machine, and DATA 101, on the simulated Kubernetes region.",
      `Click "${week1.title}" under CS 120 (or open /i/${week1.code}): the portal signs you in to the hub, starts your server and opens the notebook, pulled from the course's repository.`,
      `Open ${demoAssignment.title} (/i/${demoAssignment.code}): run its check("q1") cell, fix the answer until it passes, save and run submit(); the grade appears at /courses/${demoAssignment.course}/assignments/${demoAssignment.slug}.`,
    ],
  },
  {
    as: "the instructor",
    email: "prof.okafor@cascade.edu",
    steps: [
      "/courses/ccc-cs-120-fa26/links shows the link, its QR code and its clicks; publish another (week1/intro.ipynb is the material).",
      "/courses/ccc-cs-120-fa26/roster shows who is enrolled and on which hub.",
      "/courses/ccc-cs-120-fa26/assignments and /gradebook: the lab, its score histogram, every student's grade and the CSV.",
    ],
  },
  {
    as: "ops",
    email: "ops@hubfed.example",
    steps: [
      "/ops holds CS 220's request: review its estimate and approve it onto the Portal VM for another real hub.",
      "/ops/hubs/ccc-cs-120-fa26 shows the provisioning runs step by step; /ops/credits the burn charts and forecasts.",
    ],
  },
];

/** The tour as the lines `npm start` prints under the URL. */
export function formatDemoTour(publicUrl: string): string[] {
  const lines = [`A five-minute tour: ${publicUrl}/signin, pick an account (no password):`];
  demoTour.forEach((stop, index) => {
    lines.push(`  ${index + 1}. As ${stop.as} (${stop.email}):`);
    for (const step of stop.steps) lines.push(`     - ${step}`);
  });
  return lines;
}
