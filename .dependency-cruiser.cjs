// Layering rules for `npm run depcruise` (and test/infra/layering.test.ts):
//   coder/      is pure: no AWS SDK, CDK or Powertools, and nothing from the
//               runtime layers (functions/, infra/, local/) - so it runs the same
//               in Lambda, locally and in the evaluation scripts.
//   functions/  never reaches into the deployment (infra/) or the local stack (local/).
// The rules are built for the folder the layers live under: the repository root,
// or DEPCRUISE_LAYER_ROOT (e.g. test/fixtures/layering/), which the layering test
// uses to point these very rules at fixtures and prove they catch a violation.

/** Packages the pure coder must not import (resolved into node_modules or not). */
const AWS_PACKAGES = ["@aws-sdk", "@smithy", "aws-cdk-lib", "@aws-lambda-powertools"];

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * @param {string} root folder prefix the layers live under: "" for the repository,
 *   or e.g. "test/fixtures/layering/" for a fixture tree with the same layout.
 * @returns {import('dependency-cruiser').IForbiddenRuleType[]}
 */
function buildLayeringRules(root = "") {
  const prefix = `^${escapeRegExp(root)}`;
  const awsPackage = `(^|/node_modules/|^node_modules/)(${AWS_PACKAGES.map(escapeRegExp).join("|")})(/|$)`;
  return [
    {
      name: "coder-imports-no-aws",
      comment: "The coder is pure: no AWS SDK, CDK or Powertools; adapters in functions/ do the I/O.",
      severity: "error",
      from: { path: `${prefix}coder/` },
      to: { path: awsPackage },
    },
    {
      name: "coder-imports-no-runtime-layer",
      comment: "The coder must not depend on the Lambda handlers, the CDK app or the local stack.",
      severity: "error",
      from: { path: `${prefix}coder/` },
      to: { path: `${prefix}(functions|infra|local)/` },
    },
    {
      name: "functions-import-no-infra-or-local",
      comment: "Handlers must not depend on how they are deployed (infra/) or run locally (local/).",
      severity: "error",
      from: { path: `${prefix}functions/` },
      to: { path: `${prefix}(infra|local)/` },
    },
  ];
}

/** @type {import('dependency-cruiser').ICruiseOptions} */
const options = {
  // Packages are leaves: what they import is not ours to check.
  doNotFollow: { path: "(^|/)node_modules/" },
  exclude: { path: "(^|/)(cdk\\.out|\\.attache|\\.dynamodb-local)/" },
  // Type-only imports count: a coder that imports SDK types depends on the SDK.
  tsPreCompilationDeps: true,
  tsConfig: { fileName: "tsconfig.json" },
  enhancedResolveOptions: {
    exportsFields: ["exports"],
    conditionNames: ["import", "require", "node", "default", "types"],
  },
};

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: buildLayeringRules(process.env.DEPCRUISE_LAYER_ROOT ?? ""),
  options,
};
