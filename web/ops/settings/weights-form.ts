/** The weight of cost against quality (measured latency and errors), in percent adding up to 100. */
import { h } from "../../common/dom";
import { field, input } from "../../common/forms";
import { card, type FormContext, save } from "./save";

export function weightsForm(ctx: FormContext): HTMLFormElement {
  const weights = ctx.seen.config.weights;
  const cost = percentInput(weights.cost);
  const quality = percentInput(weights.quality);
  const form = card(
    "Weights",
    "weights-form",
    h(
      "p",
      { class: "hint" },
      "How much cost counts against quality (measured latency and errors). They add up to 100.",
    ),
    h(
      "div",
      { class: "row" },
      field("Cost weight (%)", cost, { path: "cost" }),
      field("Quality weight (%)", quality, { path: "quality" }),
    ),
    h("button", { type: "submit", class: "primary" }, "Save weights"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save(
      ctx,
      form,
      {
        method: "PUT",
        path: "/v1/ops/steering/weights",
        body: { cost: Number(cost.value), quality: Number(quality.value) },
      },
      `Weights saved: cost ${cost.value}%, quality ${quality.value}%.`,
    );
  });
  return form;
}

function percentInput(value: number): HTMLInputElement {
  return input({ type: "number", min: 0, max: 100, step: 1, value, inputmode: "numeric" });
}
