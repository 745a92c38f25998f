//! Who is on the other end of the connection: the client's address, which sign-in throttles
//! and audits by.
//!
//! The server puts the peer's address in every request (axum's `ConnectInfo`). Behind a
//! reverse proxy every peer is the proxy, so when [`crate::WebConfig::trusted_proxy`] names it,
//! a request from that address is taken to be from the last address in its `X-Forwarded-For`:
//! the one the proxy itself appended. Earlier entries are whatever the client sent, and are never
//! believed; nor is the header from any other peer.

use crate::AppState;
use crate::pages;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// The client's address, as sign-in takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(formatter)
    }
}

/// The client of a request from `peer`, given the proxy trusted, if any.
pub fn client_address(
    trusted_proxy: Option<IpAddr>,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> ClientAddress {
    let peer = canonical(peer.ip());
    if trusted_proxy.map(canonical) != Some(peer) {
        return ClientAddress(peer);
    }
    match forwarded_for(headers) {
        Some(client) => ClientAddress(canonical(client)),
        None => {
            // The proxy should always say; when it does not, its own address is all there is,
            // and every client behind it shares one throttle until it is fixed.
            tracing::warn!(
                proxy = %peer,
                "a request from the trusted proxy has no usable X-Forwarded-For; taking the proxy as the client"
            );
            ClientAddress(peer)
        }
    }
}

/// The last address of the last `X-Forwarded-For` header, with or without a port.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let header = headers.get_all("x-forwarded-for").iter().next_back()?;
    let last = header.to_str().ok()?.rsplit(',').next()?.trim();
    last.parse::<IpAddr>()
        .ok()
        .or_else(|| last.parse::<SocketAddr>().ok().map(|address| address.ip()))
}

/// An IPv4 address carried in IPv6 (`::ffff:192.0.2.1`) as the IPv4 address it is.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // The request log decided it already, once for the whole request.
        if let Some(client) = parts.extensions.get::<ClientAddress>() {
            return Ok(*client);
        }
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
            // `serve` always provides it; a router served some other way cannot throttle.
            tracing::error!(
                "no client address on the request: serve the router with its ConnectInfo"
            );
            return Err(pages::error::internal());
        };
        Ok(client_address(
            state.config.trusted_proxy,
            *peer,
            &parts.headers,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn peer(address: &str) -> SocketAddr {
        SocketAddr::new(address.parse().unwrap(), 40_000)
    }

    #[test]
    fn without_a_trusted_proxy_the_peer_is_the_client() {
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(
            client_address(None, peer("198.51.100.1"), &headers).to_string(),
            "198.51.100.1"
        );
        let proxy = Some("10.0.0.1".parse().unwrap());
        assert_eq!(
            client_address(proxy, peer("198.51.100.1"), &headers).to_string(),
            "198.51.100.1",
            "another peer's X-Forwarded-For is not believed"
        );
    }

    #[test]
    fn the_trusted_proxy_names_the_client_last() {
        let proxy = Some("10.0.0.1".parse().unwrap());
        let headers = forwarded(&["1.1.1.1, 203.0.113.9"]);
        assert_eq!(
            client_address(proxy, peer("10.0.0.1"), &headers).to_string(),
            "203.0.113.9"
        );
        // A client's own header comes first; the proxy's entry is the last of all.
        let headers = forwarded(&["6.6.6.6", "203.0.113.10"]);
        assert_eq!(
            client_address(proxy, peer("10.0.0.1"), &headers).to_string(),
            "203.0.113.10"
        );
        let headers = forwarded(&["[2001:db8::5]:443"]);
        assert_eq!(
            client_address(proxy, peer("10.0.0.1"), &headers).to_string(),
            "2001:db8::5"
        );
        // Nothing usable: the proxy itself.
        for headers in [forwarded(&[]), forwarded(&["unknown"])] {
            assert_eq!(
                client_address(proxy, peer("10.0.0.1"), &headers).to_string(),
                "10.0.0.1"
            );
        }
    }

    #[test]
    fn ipv4_in_ipv6_is_ipv4() {
        assert_eq!(
            client_address(None, peer("::ffff:192.0.2.1"), &HeaderMap::new()).to_string(),
            "192.0.2.1"
        );
        let proxy = Some("10.0.0.1".parse().unwrap());
        assert_eq!(
            client_address(proxy, peer("::ffff:10.0.0.1"), &forwarded(&["192.0.2.4"])).to_string(),
            "192.0.2.4"
        );
    }
}
