"""Where the bot may connect, checked on every hop: the SSRF guard, pinned to the address it checked, under a deadline.

A name is resolved once per connection; every address it gives is checked, and the socket is opened to
a checked address, so a name that answers "public" to the check and "127.0.0.1" to the connect (DNS
rebinding) cannot get through. Each read and write is capped by the current request's total deadline,
so a server that drips its headers one byte at a time cannot hold a fetch past it.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data", "metadata.azure.internal"})
# Cloud instance metadata services: never reachable, whatever a feed allows.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200"))
# Special-purpose ranges (IANA registries) that Python's is_global lets through on some versions, and
# IPv6 prefixes that carry an IPv4 address inside them (NAT64, 6to4, Teredo), which could reach a private one.
NOT_PUBLIC = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "240.0.0.0/4", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16",
    "fc00::/7"))
Resolver = Callable[..., list]


class BlockedURL(Exception):
    """A URL or address the bot must not fetch (SSRF guard)."""


@dataclass(frozen=True)
class Policy:
    """What the current request may reach: private addresses only when its feed allows them, before `deadline`."""

    allow_private: bool = False
    deadline: float | None = None  # time.monotonic() value

    def remaining_s(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()


_current = threading.local()


@contextmanager
def guarding(policy: Policy) -> Iterator[None]:
    """Requests made by this thread inside the block follow `policy`."""
    previous = getattr(_current, "policy", None)
    _current.policy = policy
    try:
        yield
    finally:
        _current.policy = previous


def current_policy() -> Policy:
    return getattr(_current, "policy", None) or Policy()


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL; BlockedURL when it is anything else or malformed."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").lower()
    except ValueError as exc:  # "port out of range", "Invalid IPv6 URL"
        raise BlockedURL(f"malformed URL: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise BlockedURL(f"scheme {parts.scheme!r} is not allowed (only http and https)")
    if not host:
        raise BlockedURL("no host in URL")
    if port is not None and not 0 < port < 65536:
        raise BlockedURL(f"port {port} is out of range")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80)


def check_address(address: str, host: str, *, allow_private: bool) -> None:
    """Refuse an address that is not on the public internet (or, with allow_private, that is link-local or metadata)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES or ip.is_link_local or ip.is_multicast or ip.is_unspecified:
        raise BlockedURL(f"{host} resolves to {ip}, a link-local, metadata or multicast address")
    if not allow_private and (not ip.is_global or any(ip in net for net in NOT_PUBLIC if net.version == ip.version)):
        raise BlockedURL(f"{host} resolves to {ip}, which is not a public address "
                         "(set allow_private: true on this feed if that is intended)")


def check_host(host: str, *, allow_private: bool) -> None:
    if host in METADATA_HOSTS:
        raise BlockedURL(f"{host} is a cloud metadata host")


def checked_addresses(host: str, port: int, *, allow_private: bool, resolve: Resolver = socket.getaddrinfo) -> list[str]:
    """The addresses `host` resolves to, once, each checked; BlockedURL when any is refused, ConnectError when none."""
    check_host(host.lower(), allow_private=allow_private)
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise httpcore.ConnectError(f"{host} has no address")
    for address in addresses:  # one bad answer refuses the name: a rebinding resolver mixes them
        check_address(address, host, allow_private=allow_private)
    return addresses


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with the guard: resolve once, check, connect to what was checked, honour the deadline."""

    def __init__(self, *, resolve: Resolver = socket.getaddrinfo):
        self._resolve = resolve
        self._plain = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        policy = current_policy()
        timeout = _capped(timeout, policy, httpcore.ConnectTimeout)
        addresses = checked_addresses(host, port, allow_private=policy.allow_private, resolve=self._resolve)
        stream = self._plain.connect_tcp(addresses[0], port, timeout=timeout, local_address=local_address,
                                         socket_options=socket_options)
        return DeadlineStream(stream)


class DeadlineStream(httpcore.NetworkStream):
    """A stream whose every read and write is cut short at the current request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _capped(timeout, current_policy(), httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _capped(timeout, current_policy(), httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        timeout = _capped(timeout, current_policy(), httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname=server_hostname, timeout=timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def _capped(timeout: float | None, policy: Policy, error: type[Exception]) -> float | None:
    remaining = policy.remaining_s()
    if remaining is None:
        return timeout
    if remaining <= 0:
        raise error("the request's total deadline has passed")
    return remaining if timeout is None else min(timeout, remaining)


def guarded_transport(*, resolve: Resolver = socket.getaddrinfo, max_connections: int = 32,
                      max_keepalive: int = 16) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through GuardedBackend."""
    transport = httpx.HTTPTransport()
    # httpx builds its pool without a way to pass a network backend; this is the same pool with ours.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), max_connections=max_connections,
        max_keepalive_connections=max_keepalive, network_backend=GuardedBackend(resolve=resolve))
    return transport
