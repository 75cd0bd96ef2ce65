// The coder: one article in, diplomatic events and stances out. Pure: no I/O,
// no clock, no environment; dictionaries and rules are compiled once.
import { compileLexicon, type Lexicon } from "./dictionaries/compile.js";
import { dictionaryFiles } from "./dictionaries/index.js";
import type { DictionaryFiles } from "./dictionaries/types.js";
import { type CodeOptions, Engine } from "./engine.js";
import { type CompiledRules, compileRules, type RuleFiles } from "./rules/compile.js";
import { ruleFiles } from "./rules/index.js";
import type { Article, CodedArticle } from "./types.js";

export type { CodeOptions } from "./engine.js";
export type * from "./types.js";

/** Bumped when the engine's behaviour changes; dictionaries and rules carry their own versions. */
export const ENGINE_VERSION = "1.1.0";

export interface Coder {
  codeArticle(article: Article, options?: CodeOptions): CodedArticle;
  readonly version: string;
}

/** Build a coder from dictionaries and rules (tests inject small invented ones). */
export function createCoder(
  dictionaries: DictionaryFiles | Lexicon,
  rules: RuleFiles | CompiledRules,
): Coder {
  const lex = "byFirst" in dictionaries ? dictionaries : compileLexicon(dictionaries);
  const compiled = "byFirst" in rules ? rules : compileRules(rules);
  const engine = new Engine(lex, compiled);
  return {
    codeArticle: (article, options) => engine.code(article, options),
    version: `engine ${ENGINE_VERSION}; dictionaries ${lex.version}; rules ${compiled.version}`,
  };
}

const defaultCoder = createCoder(dictionaryFiles, ruleFiles);

/** Engine, dictionary and rule versions: stored with every coded article. */
export const CODER_VERSION = defaultCoder.version;

export function codeArticle(article: Article, options?: CodeOptions): CodedArticle {
  return defaultCoder.codeArticle(article, options);
}
