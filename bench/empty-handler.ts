// The reference for cold starts: a handler that does nothing, bundled exactly as
// the real functions are, so the difference is what Attaché's code costs.
export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: "",
});
