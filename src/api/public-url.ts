/**
 * @module The service's own address, for the links it hands out (the files of an
 * Export Specification, the page images of a Validation Specification) and the
 * `servers` of `/openapi.json`. A link built from the request's `Host` or
 * `X-Forwarded-*` would let any client make the service send another client
 * (a webhook's reader, a log) to a host of its choosing, so:
 *
 * 1. `DOCKET_PUBLIC_URL`, when set, is the address (docs/api-contract.md#links).
 * 2. Otherwise, a request that arrived from a proxy named in `DOCKET_TRUST_PROXY`
 *    and carries `X-Forwarded-Host` gets that host (and `X-Forwarded-Proto`).
 * 3. Otherwise the listen address: the address and port the connection was
 *    accepted on, which no header can change.
 */
import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/** A host (name, IPv4, or bracketed IPv6) with an optional port: nothing else is put into a link. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export type PublicUrl = (req: FastifyRequest) => string;

/** The proxies of DOCKET_TRUST_PROXY (addresses or CIDRs, checked by config.ts) as a block list. */
function trustedProxies(entries: readonly string[]): BlockList | null {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

function lastEntry(value: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined?.split(',').pop()?.trim() || undefined;
}

function isTrusted(list: BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : null;
  if (v4 !== null) return list.check(v4, 'ipv4');
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** The address a connection was accepted on, as a URL origin; `http://localhost` for an in-process request. */
function listenAddress(req: FastifyRequest): string {
  const socket = req.raw.socket;
  let address = socket?.localAddress;
  const port = socket?.localPort;
  if (!address || !port) return 'http://localhost';
  if (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4) address = address.slice(7);
  const host = isIP(address) === 6 ? `[${address}]` : address;
  const scheme = 'encrypted' in socket && socket.encrypted ? 'https' : 'http';
  return `${scheme}://${host}:${port}`;
}

/** The resolver of the public URL for a configuration (see the module comment for the order). */
export function publicUrlResolver(config: { publicUrl?: string | undefined; trustProxy?: string[] | undefined }): PublicUrl {
  if (config.publicUrl) {
    const fixed = config.publicUrl.replace(/\/+$/, '');
    return () => fixed;
  }
  const proxies = trustedProxies(config.trustProxy ?? []);
  return (req) => {
    if (proxies && isTrusted(proxies, req.raw.socket?.remoteAddress)) {
      const host = lastEntry(req.headers['x-forwarded-host']);
      const proto = lastEntry(req.headers['x-forwarded-proto']);
      if (host && HOST.test(host)) return `${proto === 'https' ? 'https' : 'http'}://${host}`;
    }
    return listenAddress(req);
  };
}
