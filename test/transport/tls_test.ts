import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";
import { UnsupportedError } from "../../mod.ts";
import { assertTypedNaming, listenerOf, pem, rejectsWithin } from "./support.ts";

// d26 listens on TLS with --tlsverify (client certificates required); d20 on
// plain TCP, where every TLS client must fail with a typed error, promptly.

engineTest("transport/tls", "client certificates as PEM strings (tls: { ca, cert, key })", async (ctx) => {
  const l = listenerOf(ctx);
  const docker = ctx.connect({
    host: l.host,
    tls: { ca: pem(ctx, "ca.pem"), cert: pem(ctx, "cert.pem"), key: pem(ctx, "key.pem") },
  });
  assert.equal(docker.client.host.scheme, "https");
  if (l.kind === "tls") {
    assert.equal(await docker.ping(), "OK");
    assert.equal((await docker.info()).ID, (await ctx.docker.info()).ID);
  } else {
    const { error } = await rejectsWithin(docker.ping(), 2000);
    assertTypedNaming(error, l.host);
  }
});

engineTest("transport/tls", "an engine certificate from an unknown CA is refused, typed and prompt", async (ctx) => {
  const l = listenerOf(ctx);
  const docker = ctx.connect({
    host: l.host,
    tls: { ca: pem(ctx, "other-ca.pem"), cert: pem(ctx, "cert.pem"), key: pem(ctx, "key.pem") },
  });
  const { error } = await rejectsWithin(docker.ping(), 2000);
  assertTypedNaming(error, l.host);
  // The system CAs do not know the test CA either.
  const noCa = ctx.connect({ host: l.host, tls: { cert: pem(ctx, "cert.pem"), key: pem(ctx, "key.pem") } });
  assertTypedNaming((await rejectsWithin(noCa.version(), 2000)).error, l.host);
});

engineTest("transport/tls", "the engine refuses a client without a certificate or with a foreign one", async (ctx) => {
  const l = listenerOf(ctx);
  const ca = pem(ctx, "ca.pem");
  for (const tls of [{ ca }, { ca, cert: pem(ctx, "other-cert.pem"), key: pem(ctx, "other-key.pem") }]) {
    const docker = ctx.connect({ host: l.host, tls });
    const { error } = await rejectsWithin(docker.ping(), 2000);
    // TLS 1.3 sends the refusal after the handshake: a reset or an alert, still typed and naming the address.
    assertTypedNaming(error, l.host, false);
  }
});

engineTest("transport/tls", "tlsVerify: false skips engine verification (Node, Bun); Deno refuses it", async (ctx) => {
  const l = listenerOf(ctx);
  const options = { host: l.host, tlsVerify: false, tls: { cert: pem(ctx, "cert.pem"), key: pem(ctx, "key.pem") } };
  if (ctx.runtime === "deno") {
    assert.throws(() => ctx.connect(options), (e: unknown) => {
      assert.ok(e instanceof UnsupportedError, String(e));
      assert.match(e.message, /tlsVerify: false/);
      assert.ok(e.message.includes(l.host), e.message);
      return true;
    });
    return;
  }
  const docker = ctx.connect(options);
  assert.equal(docker.client.host.scheme, "https");
  if (l.kind === "tls") assert.equal(await docker.ping(), "OK");
  else assertTypedNaming((await rejectsWithin(docker.ping(), 2000)).error, l.host);
});
