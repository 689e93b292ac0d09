/**
 * Forms that change steering: the weight of cost against quality, prices per GB by region, monthly commits per CDN,
 * and a region's overrides (pin, drain, exclude, fixed shares), one module each. Each form sends one section of the
 * config with `If-Match` on the version this page last saw, so two operators cannot silently overwrite each other
 * (save.ts). A save keeps the forms as typed and moves the version on. The API validates; its messages land next to
 * the fields they name.
 */
import type { AuthSession } from "../../common/auth";
import { h, render } from "../../common/dom";
import type { SteeringConfig } from "../steering-api";
import { commitsForm } from "./commits-form";
import { overrideForm } from "./override-form";
import { pricesForm } from "./prices-form";
import type { Hooks } from "./save";
import { weightsForm } from "./weights-form";

export function settingsPanel(
  auth: AuthSession,
  container: HTMLElement,
  onChanged: Hooks,
): { show: (config: SteeringConfig, region: string) => void } {
  return {
    show(initial, region) {
      const ctx = { auth, seen: { config: initial }, hooks: onChanged };
      render(
        container,
        h(
          "div",
          { class: "console-layout" },
          weightsForm(ctx),
          overrideForm(ctx, region),
          pricesForm(ctx),
          commitsForm(ctx),
        ),
      );
    },
  };
}
