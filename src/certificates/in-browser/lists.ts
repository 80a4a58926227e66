import type { StatusList } from '../../documents/status-bits.ts';
import type { TrustList } from '../../documents/trust-list.ts';
import { verifyStatusListWeb, verifyTrustListWeb } from '../../documents/web-verify.ts';
import { statusListUrl, TRUST_LIST_URL } from './setup.ts';

// The lists a browser verifies with, fetched when it can and kept for when it cannot. Only a list
// whose signature holds is kept (the trust list against the pinned root key, a status list against
// the trust list), and never one older than what is kept already: a trust list with a lower serial
// than the highest seen (it could still show a compromised key as good), or a status list issued
// before the kept one (it could hide a revocation).

/** Where accepted lists stay between visits, and the highest trust list serial ever accepted. */
export interface Keeping {
  kept(url: string): Promise<unknown>;
  keep(url: string, json: unknown): Promise<void>;
  seenSerial(): number;
  sawSerial(serial: number): void;
}

export interface Lists {
  trustList: TrustList;
  /** The status list of every department that has one, as of its issuedAt. */
  statusLists: StatusList[];
  /** Lists refused or not fetched, with why (for the console and the tests). */
  refused: string[];
}

export interface Gathering {
  rootKeys: readonly string[];
  /** A list's JSON from the network (through the service worker), or undefined when it could not be had. */
  download(url: string): Promise<unknown>;
  keeping: Keeping;
}

export async function gatherLists(g: Gathering): Promise<Lists | { refused: string[] }> {
  const refused: string[] = [];
  const trustList = await trustListOf(g, refused);
  if (!trustList) return { refused };
  // Departments that can sign a status list: those with a key that is not revoked.
  const departments = [...new Set(trustList.keys.filter((k) => k.status !== 'revoked').map((k) => k.department))].sort();
  const lists = await Promise.all(departments.map((d) => statusListOf(g, trustList, d, refused)));
  return { trustList, statusLists: lists.filter((l): l is StatusList => !!l), refused };
}

async function trustListOf(g: Gathering, refused: string[]): Promise<TrustList | undefined> {
  const minSerial = g.keeping.seenSerial();
  const downloaded = await g.download(TRUST_LIST_URL);
  if (downloaded !== undefined) {
    const fresh = await verifyTrustListWeb(downloaded, g.rootKeys, { minSerial });
    if (fresh.ok) {
      await g.keeping.keep(TRUST_LIST_URL, downloaded);
      g.keeping.sawSerial(fresh.trustList.serial);
      return fresh.trustList;
    }
    refused.push(`downloaded ${fresh.message}`);
  } else refused.push('trust list: not downloaded');
  const kept = await g.keeping.kept(TRUST_LIST_URL);
  if (kept === undefined) return undefined;
  const again = await verifyTrustListWeb(kept, g.rootKeys, { minSerial });
  if (again.ok) return again.trustList;
  refused.push(`kept ${again.message}`);
  return undefined;
}

async function statusListOf(g: Gathering, trustList: TrustList, department: string, refused: string[]): Promise<StatusList | undefined> {
  const url = statusListUrl(department);
  const [downloaded, keptJson] = await Promise.all([g.download(url), g.keeping.kept(url)]);
  const fresh = downloaded === undefined ? undefined : await verifyStatusListWeb(downloaded, trustList);
  const kept = keptJson === undefined ? undefined : await verifyStatusListWeb(keptJson, trustList);
  const keptAt = kept?.ok ? Date.parse(kept.statusList.issuedAt) : -Infinity;
  if (fresh?.ok && Date.parse(fresh.statusList.issuedAt) >= keptAt) {
    await g.keeping.keep(url, downloaded);
    return fresh.statusList;
  }
  if (fresh) refused.push(fresh.ok ? `status list of ${department}: issued ${fresh.statusList.issuedAt}, before the one kept` : `downloaded ${fresh.message}`);
  else refused.push(`status list of ${department}: not downloaded`);
  return kept?.ok ? kept.statusList : undefined;
}
