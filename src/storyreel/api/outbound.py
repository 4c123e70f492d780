"""Requests the server sends on a user's behalf (Kling task callbacks) reach the public
internet only, never the server's own network.

    allow = AllowList.parse(os.environ.get("STORYREEL_CALLBACK_ALLOW", ""))
    await check_url(url, allow)                  # at submission: a clear refusal
    async with outbound_client(allow, 5.0) as client:
        await client.post(url, json=payload)     # every connection checked again

An address that is not globally routable is refused: loopback, private ranges,
link-local (cloud metadata at 169.254.169.254 among them), carrier-grade NAT, multicast,
reserved and unspecified, IPv4 written inside IPv6 included. The check runs on the
addresses DNS gives, and again at each connection on the address actually connected
to, so a name that resolves differently the second time (DNS rebinding) gains nothing,
and a redirect (at most `MAX_REDIRECTS`) is checked as its own connection. An
operator names hosts or networks that may be reached anyway in
STORYREEL_CALLBACK_ALLOW: `hooks.internal,10.20.0.0/16,127.0.0.1`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpcore
import httpx

from storyreel.errors import StoryreelError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
ALLOW_VARIABLE = "STORYREEL_CALLBACK_ALLOW"
MAX_REDIRECTS = 3


class URLRefused(StoryreelError):
    """A URL the server will not send a request to."""


@dataclass(frozen=True)
class AllowList:
    """Host names and networks an operator lets outbound requests reach even though
    they are not public."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> AllowList:
        """`text`: comma-separated host names, addresses and CIDR networks."""
        hosts: set[str] = set()
        networks: list[Network] = []
        for raw in text.split(","):
            item = raw.strip().lower()
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.hosts

    def allows(self, address: Address) -> bool:
        return any(address in network for network in self.networks)


def _plain(address: Address) -> Address:
    """IPv4 written as IPv6 (::ffff:127.0.0.1, 64:ff9b::7f00:1) as the IPv4 it is."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in ipaddress.ip_network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def check_address(host: str, address: Address, allow: AllowList) -> None:
    plain = _plain(address)
    if plain.is_global and not plain.is_multicast:
        return
    if allow.allows_host(host) or allow.allows(plain) or allow.allows(address):
        return
    raise URLRefused(
        f"{host} resolves to {plain}, which is not a public address (loopback, private, "
        "link-local or reserved); this server sends requests only to the public internet "
        f"unless {ALLOW_VARIABLE} names the host or its network"
    )


def split_url(url: str) -> tuple[str, int]:
    """The host and port of an http(s) URL, or a refusal saying what is wrong."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise URLRefused(f"{url!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise URLRefused(f"{url!r} must be an http:// or https:// URL with a host")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def resolve(host: str, port: int, allow: AllowList) -> list[str]:
    """The addresses of `host`, each checked; refuses if DNS gives none, or any one
    that is not public (a name with one private address among public ones is refused
    whole, since which one is connected to is not ours to choose)."""
    try:
        found = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise URLRefused(f"the host {host!r} cannot be resolved ({error})") from None
    addresses: list[str] = []
    for *_, sockaddr in found:
        text = str(sockaddr[0]).split("%", 1)[0]
        check_address(host, ipaddress.ip_address(text), allow)
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise URLRefused(f"the host {host!r} has no address")
    return addresses


async def check_url(url: str, allow: AllowList) -> None:
    """Refuse `url` now if it is not http(s) or its host is not public."""
    host, port = split_url(url)
    await resolve(host, port, allow)


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves each host itself, checks every address, and connects to a checked
    address: the check and the connection see the same address."""

    def __init__(self, allow: AllowList) -> None:
        self.allow = allow
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await resolve(host, port, self.allow)
        except URLRefused as error:
            raise httpcore.ConnectError(str(error)) from None
        failure: Exception | None = None
        for address in addresses:  # as the OS would: the next one if one does not answer
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("outbound requests go over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, allow: AllowList) -> None:
        super().__init__()
        # httpx takes no network backend of its own; its pool is swapped for one that
        # connects through the guard (the request and error mapping stay httpx's).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=_GuardedBackend(allow)
        )


def outbound_client(allow: AllowList, timeout: float) -> httpx.AsyncClient:
    """An HTTP client for requests sent on a user's behalf: public addresses only, on
    the first request and each redirect, and no proxy from the environment (a proxy
    would connect for us, unchecked)."""
    return httpx.AsyncClient(
        transport=_GuardedTransport(allow),
        timeout=timeout,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        trust_env=False,
    )
