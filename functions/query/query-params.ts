// What each read route accepts, validated with Zod. Query strings arrive as strings, so
// numbers and booleans are parsed here; an invalid parameter is answered with a 400 that
// names it (the issue path is the parameter's name).

import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

// zod/mini loads no messages by default; the classic API's English ones, for the
// issues these schemas do not word themselves.
z.config(en());

/** ISO 3166-1 alpha-3 or an organisation code (CHN, NATO, COMMONWEALTH); case is forgiven. */
export const EntityParamSchema = z
  .string()
  .check(
    z.trim(),
    z.toUpperCase(),
    z.regex(/^[A-Z0-9_-]{2,32}$/, "must be an actor code such as CHN or NATO (2-32 letters, digits, _ or -)"),
  );

const DateParamSchema = z.iso.date("must be a date as YYYY-MM-DD");

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

const LimitSchema = (defaultValue: number, max: number) =>
  z.pipe(
    z.optional(
      z.pipe(
        z.pipe(
          z.string().check(z.regex(/^\d+$/, `must be a whole number from 1 to ${max}`)),
          z.transform(Number),
        ),
        z.int().check(z.minimum(1, `must be from 1 to ${max}`), z.maximum(max, `must be from 1 to ${max}`)),
      ),
    ),
    z.transform((value: number | undefined) => value ?? defaultValue),
  );

const BooleanParamSchema = z.pipe(
  z.enum(["true", "false"], "must be true or false"),
  z.transform((v: "true" | "false") => v === "true"),
);

/** A route's query parameters: an unknown one is refused by name. */
function routeParams<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? "is not a parameter of this route" : undefined),
  });
}

/** Rejects a range that ends before it starts, naming `from`. */
function refineRange<T extends { from?: string | undefined; to?: string | undefined }>(
  value: T,
  context: z.core.$RefinementCtx<T>,
): void {
  if (value.from !== undefined && value.to !== undefined && value.from > value.to) {
    context.addIssue({ code: "custom", path: ["from"], message: "must not be after `to`" });
  }
}

export const EventsParamsSchema = routeParams({
  actor: z.optional(EntityParamSchema),
  target: z.optional(EntityParamSchema),
  from: z.optional(DateParamSchema),
  to: z.optional(DateParamSchema),
  root: z.optional(z.string().check(z.regex(/^(0[1-9]|1\d|20)$/, "must be a CAMEO root code from 01 to 20"))),
  quadClass: z.optional(z.pipe(z.enum(["1", "2", "3", "4"], "must be 1, 2, 3 or 4"), z.transform(Number))),
  confirmed: z.optional(BooleanParamSchema),
  limit: LimitSchema(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  cursor: z.optional(z.string().check(z.minLength(1, "must not be empty"))),
}).check(z.superRefine(refineRange));
export type EventsParams = z.infer<typeof EventsParamsSchema>;

export const DyadParamsSchema = routeParams({
  from: z.optional(DateParamSchema),
  to: z.optional(DateParamSchema),
  limit: LimitSchema(50, 200),
}).check(z.superRefine(refineRange));
export type DyadParams = z.infer<typeof DyadParamsSchema>;

export const DyadListParamsSchema = routeParams({
  from: z.optional(DateParamSchema),
  to: z.optional(DateParamSchema),
}).check(z.superRefine(refineRange));
export type DyadListParams = z.infer<typeof DyadListParamsSchema>;

export const ActorParamsSchema = routeParams({
  limit: LimitSchema(20, MAX_PAGE_SIZE),
});
export type ActorParams = z.infer<typeof ActorParamsSchema>;

/** `<first>~<second>~<CAMEO root>~<window start>`, as DiplomaticEventCoded carries it. */
export const ClusterIdSchema = z
  .string()
  .check(
    z.regex(
      /^[A-Z0-9_-]{2,32}~([A-Z0-9_-]{2,32}|-)~(0[1-9]|1\d|20)~\d{4}-\d{2}-\d{2}$/,
      "must be a cluster id such as CHN~RUS~04~2025-03-30",
    ),
  );
