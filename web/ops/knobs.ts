/**
 * Local development only: buttons that drive the CDN stand-ins (`/v1/ops/cdn-stand-ins` on the api worker, ops scope)
 * so anyone can make a CDN slow, flaky or unreachable and watch steering move traffic away, then recover it.
 */
import { describeError } from "../common/api";
import type { AuthSession } from "../common/auth";
import { cdnStyle } from "../common/config";
import { announce, h, render } from "../common/dom";

interface Knobs {
  latencyMs: number;
  failureRate: number;
  down: boolean;
}

interface StandIns {
  stand_ins: Record<string, { reachable: boolean; knobs: Knobs | null }>;
}

export function knobsPanel(
  auth: AuthSession,
  container: HTMLElement,
  cdns: string[],
): { refresh: () => Promise<void> } {
  const status = h("p", { class: "status", role: "status" });

  async function change(cdn: string, body: Record<string, unknown> | "recover", what: string): Promise<void> {
    try {
      await auth.json(`/v1/ops/cdn-stand-ins/${cdn}${body === "recover" ? "/recover" : ""}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body === "recover" ? "{}" : JSON.stringify(body),
      });
      announce(`${cdnStyle(cdn).label}: ${what}`);
      status.textContent = `${cdnStyle(cdn).label}: ${what}.`;
    } catch (err) {
      status.textContent = `${cdnStyle(cdn).label}: ${describeError(err)}`;
    }
    await refresh();
  }

  async function refresh(): Promise<void> {
    let answer: StandIns;
    try {
      answer = await auth.json<StandIns>("/v1/ops/cdn-stand-ins");
    } catch (err) {
      render(container, h("p", { class: "form-error" }, describeError(err)));
      return;
    }
    render(
      container,
      h(
        "div",
        { class: "knobs" },
        cdns.map((cdn) => {
          const state = answer.stand_ins[cdn];
          const label = cdnStyle(cdn).label;
          const knobs = state?.knobs;
          const summary = !state?.reachable
            ? "not reachable"
            : knobs?.down
              ? "DOWN"
              : `${knobs?.latencyMs ?? 0} ms added · ${Math.round((knobs?.failureRate ?? 0) * 100)}% failed`;
          return h(
            "div",
            { class: "knob-card", "data-cdn": cdn },
            h("h3", {}, label),
            h("p", { class: knobs?.down ? "warning" : "" }, "Now: ", h("strong", {}, summary)),
            h(
              "div",
              { class: "controls" },
              h(
                "button",
                {
                  type: "button",
                  class: "secondary small",
                  onclick: () => change(cdn, { latency_ms: 400 }, "400 ms latency added"),
                },
                "Add 400 ms latency",
              ),
              h(
                "button",
                {
                  type: "button",
                  class: "secondary small",
                  onclick: () => change(cdn, { failure_rate: 0.5 }, "half of requests fail"),
                },
                "Fail 50%",
              ),
              h(
                "button",
                { type: "button", class: "danger small", onclick: () => change(cdn, { down: true }, "taken down") },
                `Take ${label} down`,
              ),
              h(
                "button",
                { type: "button", class: "primary small", onclick: () => change(cdn, "recover", "recovered") },
                `Recover ${label}`,
              ),
            ),
          );
        }),
      ),
      status,
    );
  }

  return { refresh };
}
