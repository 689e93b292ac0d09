/**
 * Monthly commits per CDN: a committed volume is paid whether used or not; above it the burst price applies. A CDN
 * whose three fields are empty has no commit.
 */
import { cdnStyle } from "../../common/config";
import { h } from "../../common/dom";
import { field, input } from "../../common/forms";
import { CDNS, type Cdn, type CommitTier, type SteeringConfig } from "../steering-api";
import { card, type FormContext, save } from "./save";

interface CommitRow {
  cdn: Cdn;
  volume: HTMLInputElement;
  price: HTMLInputElement;
  burst: HTMLInputElement;
}

export function commitsForm(ctx: FormContext): HTMLFormElement {
  const rows = commitRows(ctx.seen.config.commits);
  const form = card(
    "Monthly commits",
    "commits-form",
    h(
      "p",
      { class: "hint" },
      "A committed volume is paid whether used or not; above it the burst price applies. Empty: no commit.",
    ),
    rows.map((r) =>
      h(
        "fieldset",
        { "data-path": `commits.${r.cdn}` },
        h("legend", {}, cdnStyle(r.cdn).label),
        h(
          "div",
          { class: "row" },
          field("GB per month", r.volume, { path: `commits.${r.cdn}.volumeGb` }),
          field("Price per GB", r.price, { path: `commits.${r.cdn}.pricePerGb` }),
          field("Burst price per GB", r.burst, { path: `commits.${r.cdn}.burstPricePerGb` }),
        ),
      ),
    ),
    h("button", { type: "submit", class: "primary" }, "Save commits"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { commits: readCommits(rows) };
    void save(ctx, form, { method: "PUT", path: "/v1/ops/steering/commits", body }, "Commits saved.");
  });
  return form;
}

function commitRows(commits: SteeringConfig["commits"]): CommitRow[] {
  return CDNS.map((c) => {
    const commit = commits[c];
    return {
      cdn: c,
      volume: input({ type: "number", min: 1, step: 1, value: commit?.volumeGb ?? "", inputmode: "numeric" }),
      price: input({ type: "text", inputmode: "decimal", value: commit?.pricePerGb ?? "" }),
      burst: input({ type: "text", inputmode: "decimal", value: commit?.burstPricePerGb ?? "" }),
    };
  });
}

/** The commits as typed; a CDN with all three fields empty is left out. */
function readCommits(rows: CommitRow[]): Record<string, CommitTier> {
  const commits: Record<string, CommitTier> = {};
  for (const r of rows) {
    if (!r.volume.value && !r.price.value && !r.burst.value) continue;
    commits[r.cdn] = {
      volumeGb: Number(r.volume.value),
      pricePerGb: r.price.value.trim(),
      burstPricePerGb: r.burst.value.trim(),
    };
  }
  return commits;
}
