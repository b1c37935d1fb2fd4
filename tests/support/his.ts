// A HIS stand-in on a free port and the production HTTP client pointed at it.
import { startHisStandIn, type HisStandIn } from '../../cloudfunctions/shared/his/hisStandIn';
import type { HisClient } from '../../cloudfunctions/shared/his/his';
import { createHttpHisClient } from '../../cloudfunctions/shared/his/httpHisClient';

export interface TestHis {
  standIn: HisStandIn;
  client: HisClient;
}

export async function startTestHis(): Promise<TestHis> {
  const secret = 'test-his-secret-0123456789';
  const appId = 'yiyue-test';
  const standIn = await startHisStandIn({ secret, appId });
  const client = createHttpHisClient({ baseUrl: standIn.url, appId, secret, timeoutMs: 1000 }, { retryDelaysMs: [10] });
  return { standIn, client };
}
