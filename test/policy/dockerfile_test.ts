import assert from "node:assert/strict";
import { test } from "../harness.ts";
import { checkDockerfile, dockerfileImages } from "../../lib/policy/dockerfile.ts";
import { parseDockerfile } from "../../lib/policy/dockerfile_parse.ts";
import type { ImageLookup } from "../../lib/policy/images.ts";
import { Refusal } from "../../lib/policy/refusal.ts";

const images = (text: string, allowDockerfileArgs = false) =>
  dockerfileImages(text, { allowDockerfileArgs }).map((i) => `${i.source} ${i.image}`);

function refuses(text: string, rule: string, allowDockerfileArgs = false): void {
  assert.throws(() => dockerfileImages(text, { allowDockerfileArgs }), (e: unknown) => {
    assert.ok(e instanceof Refusal, String(e));
    assert.equal(e.rule, rule, e.message);
    return true;
  }, text);
}

test("policy/dockerfile: continuations, comments, escape directive, case and JSON form", () => {
  const p = parseDockerfile(
    '# escape=`\n# a comment\nfrom `\n  # inside\n\n  busybox:1 `\n  AS Base\nRUN ["echo", "a b"]\nrun echo \\\n',
  );
  assert.equal(p.directives.escape, "`");
  assert.deepEqual(p.instructions.map((i) => [i.keyword, i.args]), [
    ["FROM", ["busybox:1", "AS", "Base"]],
    ["RUN", ["echo", "a b"]],
    ["RUN", ["echo", "\\"]],
  ]);
  assert.equal(p.instructions[1].json, true);
  assert.deepEqual(images("FROM \\\n\n  denied:1 AS x\nFROM scratch\nCOPY --from=x /a /b"), ["FROM denied:1"]);
});

test("policy/dockerfile: every FROM, COPY/ADD --from and RUN --mount from= outside the stages is an image", () => {
  const text = [
    "# syntax=docker/dockerfile:1",
    "FROM --platform=linux/amd64 base:1 AS build",
    "FROM build AS second",
    "COPY --from=build /a /a",
    "COPY --from=0 /a /a",
    "COPY --chown=1:1 --from=other:2 /x /x",
    "ADD --from=third:3 /y /y",
    "RUN --mount=type=bind,from=fourth:4,target=/m true",
    "onbuild COPY --from=fifth:5 /z /z",
    "FROM scratch",
    "FROM 5986e436c73a",
  ].join("\n");
  assert.deepEqual(images(text), [
    "# syntax docker/dockerfile:1",
    "FROM base:1",
    "COPY --from other:2",
    "ADD --from third:3",
    "RUN --mount fourth:4",
    "COPY --from fifth:5",
    "FROM 5986e436c73a",
  ]);
});

test("policy/dockerfile: ARG in FROM or --from, context-leaving mounts and sources are refused", () => {
  refuses("ARG B=denied:1\nFROM ${B}", "dockerfile.arg-in-from");
  refuses("ARG B=denied:1\nFROM $B AS x", "dockerfile.arg-in-from");
  refuses("FROM scratch\nARG X=denied\nCOPY --from=$X /a /a", "dockerfile.copy-from");
  refuses("FROM busybox\nRUN --mount=type=bind,source=../..,target=/h cat /h/etc/shadow", "dockerfile.mount-source");
  refuses("FROM busybox\nRUN --mount=source=/,target=/h true", "dockerfile.mount-source");
  refuses("FROM busybox\nADD ../secret /s", "dockerfile.outside-context");
  refuses('FROM busybox\nCOPY ["a/../../b", "/c"]', "dockerfile.outside-context");
  // Allowed: ARG defaults are substituted and checked; an in-context source and a cache mount are fine.
  assert.deepEqual(images("ARG B=denied:1\nFROM ${B}", true), ["FROM denied:1"]);
  assert.deepEqual(
    images("FROM busybox\nCOPY a/../b /c\nADD https://x.example/f /f\nRUN --mount=type=cache,target=/c true"),
    [
      "FROM busybox",
    ],
  );
});

test("policy/dockerfile: each image is checked with the image rules and the refusal names the line", async () => {
  const notFound: ImageLookup = {
    images: { inspect: (ref) => Promise.reject(Object.assign(new Error(`no such image ${ref}`), { status: 404 })) },
  };
  await assert.rejects(
    checkDockerfile(
      { denyImages: ["denied*"] },
      notFound,
      "FROM busybox AS a\nFROM scratch\nCOPY --from=denied:1 /a /a",
    ),
    (e: unknown) => e instanceof Refusal && e.rule === "image.deny" && /line 3 \(COPY --from\)/.test(e.message),
  );
  await checkDockerfile({ denyImages: ["denied*"] }, notFound, "FROM busybox AS a\nFROM a\n");
});

test("policy/dockerfile: a base image's ONBUILD triggers are held to the same rules", async () => {
  const base = {
    Id: "sha256:" + "1".repeat(64),
    RepoTags: ["ok/base:1"],
    Config: { OnBuild: ["COPY --from=denied:1 /x /x"] },
  };
  const docker: ImageLookup = {
    images: {
      inspect: (ref) =>
        ref === "ok/base:1"
          ? Promise.resolve(base)
          : Promise.reject(Object.assign(new Error(`no such image ${ref}`), { status: 404 })),
    },
  };
  await assert.rejects(
    checkDockerfile({ denyImages: ["denied*"] }, docker, "FROM ok/base:1\n"),
    (e: unknown) => e instanceof Refusal && e.rule === "image.deny" && /line 1 \(FROM\).*COPY --from/.test(e.message),
  );
});

test("policy/dockerfile: build args override the ARG defaults a FROM $X is checked with (declared ARGs only)", () => {
  const text = "ARG B=alpine:3\nFROM ${B}\nFROM ${C:-scratch}\n";
  const with_ = (buildArgs: Record<string, unknown>) =>
    dockerfileImages(text, { allowDockerfileArgs: true, buildArgs }).map((i) => i.image);
  assert.deepEqual(with_({}), ["alpine:3"]);
  assert.deepEqual(with_({ B: "denied:1" }), ["denied:1"]);
  // A value that is not a string (null: "take it from the environment") leaves the default.
  assert.deepEqual(with_({ B: null }), ["alpine:3"]);
  // An undeclared ARG is not substituted by the engine either.
  assert.deepEqual(with_({ C: "denied:2" }), ["alpine:3"]);
});
