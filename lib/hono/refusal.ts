/**
 * The gateway's refusal is the policy's: re-exported from lib/policy.
 *
 * @module
 */
export { Refusal } from "../policy/refusal.ts";
