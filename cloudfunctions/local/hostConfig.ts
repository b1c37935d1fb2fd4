// The local host's own settings (port, where the H5 build lives), parsed at start-up like the server's.
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, describeConfigIssue, emptyToUndefined, parseServerConfig, type ServerConfig } from '../shared/config';
import { DEV_ADMIN_OPENIDS } from './devIdentities';

const hostConfigSchema = z.object({
  PORT: z.coerce.number({ error: 'must be an integer between 0 and 65535' }).int('must be an integer between 0 and 65535').min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  H5_DIR: z.string().min(1).default('dist-h5'),
});

export interface HostConfig {
  port: number;
  host: string;
  h5Dir: string;
  /** Dev login (the x-dev-openid header and /dev/*) is refused in production. */
  devLogin: boolean;
  server: ServerConfig;
}

export function parseHostConfig(env: Record<string, string | undefined> = process.env): HostConfig {
  const parsed = hostConfigSchema.safeParse(emptyToUndefined(env));
  if (!parsed.success) throw new ConfigError(describeConfigIssue(parsed.error, env));
  const server = parseServerConfig(env);
  const devLogin = server.nodeEnv !== 'production';
  return {
    port: parsed.data.PORT,
    host: parsed.data.HOST,
    h5Dir: path.resolve(parsed.data.H5_DIR),
    devLogin,
    server: devLogin ? { ...server, adminOpenids: [...new Set([...server.adminOpenids, ...DEV_ADMIN_OPENIDS])] } : server,
  };
}
