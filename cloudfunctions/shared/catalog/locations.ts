// Where a location id is, in words a patient can walk to (the slip, the reminders).
import type { Db } from 'mongodb';
import { catalogCache } from './catalogCache';

export async function locationName(db: Db, locationId: string): Promise<string> {
  const hospital = await catalogCache.hospital(db);
  for (const campus of hospital?.campuses ?? []) {
    const location = campus.locations.find((entry) => entry.id === locationId);
    if (location) return hospital!.campuses.length > 1 ? `${campus.name} ${location.name}` : location.name;
  }
  return '门诊大厅服务台（请到后询问）';
}
