import type { Activity, Remuneration } from './blocks.js';
import type { ContractMonthHours, ParsedContract } from './declaration.js';
import { DsnLineError } from './rejection.js';

export type RemunerationWithActivities = Remuneration & { line: number; activities: Activity[] };

const HOUR_UNITS = new Set(['10', '21']);
const DAY_UNITS = new Set(['12', '20']);
const HOURS_PER_DAY = 7;
const GROSS_FOR_UNEMPLOYMENT = '002';
const OVERTIME_TYPES = new Set(['017', '018']);
const PAID_WORK = '01';

/** Activity measure to hours (hundredths); units that are not time (pieces, SS days...) count for nothing. */
function toHourHundredths(measure: number, unit: string | null): number {
  if (unit !== null && HOUR_UNITS.has(unit)) return measure;
  if (unit !== null && DAY_UNITS.has(unit)) return measure * HOURS_PER_DAY;
  return 0;
}

/** The contract a pay line names: same number, the latest one started by the pay period (else the earliest). */
function findContract(contracts: ParsedContract[], remuneration: RemunerationWithActivities): ParsedContract | undefined {
  let found: ParsedContract | undefined;
  for (const contract of contracts) {
    if (contract.number !== remuneration.contractNumber) continue;
    if (!found) {
      found = contract;
      continue;
    }
    const started = contract.startDate <= remuneration.periodStart;
    const foundStarted = found.startDate <= remuneration.periodStart;
    if (started && (!foundStarted || contract.startDate > found.startDate)) found = contract;
    else if (!started && !foundStarted && contract.startDate < found.startDate) found = contract;
  }
  return found;
}

/** Hours worked per contract and month, as DOMAIN.md section 2 defines them. */
export function computeHours(contracts: ParsedContract[], remunerations: RemunerationWithActivities[]): ContractMonthHours[] {
  const byKey = new Map<string, ContractMonthHours>();
  for (const remuneration of remunerations) {
    const contract = findContract(contracts, remuneration);
    if (!contract) {
      throw new DsnLineError(
        remuneration.line,
        'S21.G00.51.010',
        `la rémunération cite le contrat « ${remuneration.contractNumber} », qu'aucun bloc contrat (S21.G00.40) de cet individu ne déclare`,
      );
    }
    let hundredths = 0;
    if (remuneration.type === GROSS_FOR_UNEMPLOYMENT) {
      for (const activity of remuneration.activities) {
        if (activity.type === PAID_WORK) hundredths += toHourHundredths(activity.measureHundredths, activity.unit ?? contract.unit);
      }
    } else if (OVERTIME_TYPES.has(remuneration.type) && remuneration.hoursHundredths !== null) {
      hundredths = remuneration.hoursHundredths;
    }
    if (hundredths === 0) continue;
    const month = `${remuneration.periodStart.slice(0, 8)}01`;
    const key = `${contract.number}|${contract.startDate}|${month}`;
    const entry = byKey.get(key);
    if (entry) entry.hundredths += hundredths;
    else byKey.set(key, { contractNumber: contract.number, startDate: contract.startDate, month, hundredths });
  }
  return [...byKey.values()];
}
