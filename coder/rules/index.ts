// The coder's own rules, versioned as data: event cues and the closed-class
// word lists the clause analysis reads.

import type { EventRules, LanguageRules, RuleFiles } from "./compile.js";
import events from "./events.json" with { type: "json" };
import language from "./language.json" with { type: "json" };

export const ruleFiles: RuleFiles = {
  events: events as unknown as EventRules,
  language: language as unknown as LanguageRules,
};

export type { CompiledRules, CueRule, EventRules, LanguageRules, RuleFiles } from "./compile.js";
export { compileRules, inflectVerb } from "./compile.js";
