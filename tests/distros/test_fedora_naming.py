"""%goname table (fedora.md §2b)."""

from __future__ import annotations

import pytest

from vendaudit.distros.fedora.naming import rpm_devel_name, rpm_goname


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("github.com/docker/go-units", "golang-github-docker-units", "golang-github-docker-units"),
        ("golang.org/x/net", "golang-x-net", "golang-x-net"),
        ("gopkg.in/yaml.v3", "golang-gopkg-yaml-3", "golang-gopkg-yaml3"),
        ("google.golang.org/grpc", "golang-google-grpc", "golang-google-grpc"),
        (
            "github.com/opencontainers/go-digest",
            "golang-github-opencontainers-digest",
            "golang-github-opencontainers-digest",
        ),
        ("go.etcd.io/bbolt", "golang-etcd-bbolt", "golang-etcd-bbolt"),
        ("k8s.io/api", "golang-k8s-api", "golang-k8s-api"),
        (
            "github.com/coreos/go-systemd/v22",
            "golang-github-coreos-systemd-22",
            "golang-github-coreos-systemd22",
        ),
        (
            "github.com/containerd/containerd/v2",
            "golang-github-containerd-2",
            "golang-github-containerd2",
        ),
        ("cloud.google.com/go", "golang-cloud-google", "golang-cloud-google"),
        ("github.com/x448/float16", "golang-github-x448-float16", "golang-github-x448-float16"),
        ("github.com/foo/bar2/v3", "golang-github-foo-bar2-3", "golang-github-foo-bar2_3"),
        (
            "github.com/Azure/azure-sdk-for-go",
            "golang-github-azure-sdk",
            "golang-github-azure-sdk",
        ),
    ],
)
def test_goname(path: str, old: str, new: str) -> None:
    assert rpm_goname(path, new_versioning=False) == old
    assert rpm_goname(path) == new


def test_devel_name() -> None:
    assert rpm_devel_name("gopkg.in/yaml.v3") == "golang-gopkg-yaml3-devel"
