"""dh-make-golang's naming rule (debian.md §2.3) and how well it predicts real sid names."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendaudit.distros.debian.naming import debian_dev_name, debian_source_name, short_host_name


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("github.com/foo/bar", "golang-github-foo-bar"),
        ("golang.org/x/net", "golang-golang-x-net"),
        ("gopkg.in/yaml.v3", "golang-gopkg-yaml.v3"),
        ("google.golang.org/grpc", "golang-google-grpc"),
        ("git.sr.ht/~sircmpwn/getopt", "golang-sourcehut-sircmpwn-getopt"),
        ("github.com/Debian/dh_make_golang", "golang-github-debian-dh-make-golang"),
        ("github.com/sean-/seed", "golang-github-sean--seed"),
        ("go.opentelemetry.io/otel", "golang-opentelemetry-otel"),
        ("sigs.k8s.io/yaml", "golang-k8s-sigs-yaml"),
        ("k8s.io/client-go", "golang-k8s-client-go"),
        ("cloud.google.com/go/compute/metadata", "golang-googlecloud-go-compute-metadata"),
        ("gopkg.in/cheggaaa/pb.v2", "golang-gopkg-cheggaaa-pb.v2"),
        ("gopkg.in/alecthomas/kingpin.v2", "golang-gopkg-alecthomas-kingpin.v2"),
        ("github.com/cenkalti/backoff/v4", "golang-github-cenkalti-backoff-v4"),
        ("github.com/hashicorp/golang-lru/v2", "golang-github-hashicorp-golang-lru-v2"),
        ("github.com/aws/aws-sdk-go-v2", "golang-github-aws-aws-sdk-go-v2"),
        ("go.cypherpunks.ru/balloon", "golang-cypherpunks-balloon"),
        ("go.yaml.in/yaml/v3", "golang-go.yaml-yaml-v3"),
        ("example.co.uk/x", "golang-example-x"),
        ("zgo.at/zcache", "golang-zgoat-zcache"),
        # Unknown multi-label hosts keep their dots, as dh-make-golang and sid do
        # (golang-golang.zx2c4-wireguard-dev); never golang-golang-zx2c4-*.
        ("golang.zx2c4.com/wintun", "golang-golang.zx2c4-wintun"),
        ("code.cloudfoundry.org/bytefmt", "golang-code.cloudfoundry-bytefmt"),
    ],
)
def test_source_name(path: str, name: str) -> None:
    assert debian_source_name(path) == name
    assert debian_dev_name(path) == name + "-dev"


def test_unknown_table_host_keeps_fqdn_minus_suffix() -> None:
    # go.cypherpunks.ru is in the table today; the doc's old name came from the fallback.
    assert short_host_name("go.cypherpunks.ru") == "cypherpunks"
    assert short_host_name("go.cypherpunks.su") == "go.cypherpunks"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("github.com/cenkalti/backoff/v4", "golang-github-cenkalti-backoff"),
        ("github.com/foo/bar", "golang-github-foo-bar"),
        ("gopkg.in/yaml.v3", "golang-gopkg-yaml.v3"),
        ("github.com/foo/bar/v1", "golang-github-foo-bar-v1"),  # /v1 is no major suffix
    ],
)
def test_without_major(path: str, name: str) -> None:
    assert debian_source_name(path, keep_major=False) == name


def test_normalisation_edge_cases() -> None:
    assert debian_source_name("github.com/Foo/Bar_Baz") == "golang-github-foo-bar-baz"
    assert debian_source_name("github.com/a/b@x~y") == "golang-github-a-bxy"


def test_multilabel_hosts_match_real_sid_names(fixtures: Path) -> None:
    """dh-make-golang's FQDN-minus-public-suffix host part is what sid uses for such hosts.

    Of sid's libraries on an untabled host with three or more labels (apt lists of
    2026-12-02), 12 sources use the dotted host part the rule gives, 2 a dashed one
    (code.gitea.io/sdk, al.essio.dev's second binary) and 26 an unrelated hand-picked
    name (golang-forgejo-*, golang-github-containers-*).  The fixture keeps nine of the
    dotted ones and the gitea exception.
    """
    text = (fixtures / "debian" / "naming-multilabel-hosts.Sources").read_text()
    misses = []
    for st in _stanzas(text):
        binaries = {b.strip() for b in st["Binary"].split(",")}
        path = st["Go-Import-Path"]
        guesses = {debian_dev_name(path), debian_dev_name(path, keep_major=False)}
        if not guesses & binaries:
            misses.append(path)
    assert misses == ["code.gitea.io/sdk"]
    assert debian_dev_name("golang.zx2c4.com/wireguard") == "golang-golang.zx2c4-wireguard-dev"


def _stanzas(text: str) -> list[dict[str, str]]:
    out = []
    for stanza in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t"):
                fields[key] = fields.get(key, "") + "\n" + line
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        out.append(fields)
    return out


@pytest.mark.realworld
def test_rule_predicts_sid_sample(realworld: Path) -> None:
    """How often ``<rule>-dev`` (first Go-Import-Path) is a real binary (doc: 92% on sid)."""
    text = (realworld.parent / "samples" / "debian" / "sid-Sources-sample").read_text()
    sources: dict[str, tuple[str, set[str]]] = {}
    for st in _stanzas(text):
        if "Go-Import-Path" not in st or st.get("Extra-Source-Only") == "yes":
            continue
        binaries = {b.strip() for b in st["Binary"].split(",")}
        if not any(b.endswith("-dev") for b in binaries):
            continue
        first = next(p.strip() for p in st["Go-Import-Path"].split(",") if p.strip())
        sources[st["Package"]] = (first, binaries)
    hits = [
        src
        for src, (path, bins) in sources.items()
        if debian_dev_name(path) in bins or debian_dev_name(path, keep_major=False) in bins
    ]
    misses = sorted(set(sources) - set(hits))
    # Measured: 67 of the 75 library sources (89%; 66 without the -vN form, 88%). The doc
    # says 92% on all of sid; the sample is biased towards the irregular cases.
    assert len(sources) >= 70
    assert len(hits) / len(sources) >= 0.85, misses
    assert "golang-dbus" in misses and "etcd" in misses
