import { ConfigError, parseServerConfig } from '../../../cloudfunctions/shared/config';
import { parseHostConfig } from '../../../cloudfunctions/local/hostConfig';

describe('configuration', () => {
  it('has defaults that run locally on the embedded store', () => {
    const config = parseHostConfig({});
    expect(config.port).toBe(8080);
    expect(config.server.mongodbUri).toBeUndefined();
    expect(config.server.dataDir).toMatch(/\.data$/);
    expect(config.devLogin).toBe(true);
    expect(config.server.adminOpenids).toContain('demo-admin');
  });

  it('switches dev login off and grants no demo admin in production', () => {
    const config = parseHostConfig({ NODE_ENV: 'production' });
    expect(config.devLogin).toBe(false);
    expect(config.server.adminOpenids).toEqual([]);
  });

  it('reads the admin list and MongoDB settings', () => {
    const config = parseServerConfig({ ADMIN_OPENIDS: ' a, b ,', MONGODB_URI: 'mongodb://db:27017', MONGODB_DB: 'hospital_1' });
    expect(config.adminOpenids).toEqual(['a', 'b']);
    expect(config.mongodbUri).toBe('mongodb://db:27017');
    expect(config.dbName).toBe('hospital_1');
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT .*\(got "abc"\)$/],
    [{ PORT: '70000' }, /PORT/],
    [{ MONGODB_URI: 'http://db' }, /MONGODB_URI must start with mongodb:\/\//],
    [{ NODE_ENV: 'prod' }, /NODE_ENV/],
    [{ MONGODB_DB: 'a b' }, /MONGODB_DB/],
    [{ STORE_ACCEPT_DATA_LOSS: 'yes' }, /^Invalid configuration: STORE_ACCEPT_DATA_LOSS must be true or false \(got "yes"\)$/],
  ])('refuses %j with one clear line', (env, message) => {
    expect(() => parseHostConfig(env)).toThrow(ConfigError);
    expect(() => parseHostConfig(env)).toThrow(message);
  });
});
