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

  it('reads the anti-churn limits, 5 new cards per 30 days and 3 people a day by default', () => {
    expect(parseServerConfig({})).toMatchObject({ patientBindsPer30Days: 5, bookingPeoplePerDay: 3 });
    expect(parseServerConfig({ PATIENT_BINDS_PER_30_DAYS: '8', BOOKING_PEOPLE_PER_DAY: '4' })).toMatchObject({ patientBindsPer30Days: 8, bookingPeoplePerDay: 4 });
  });

  it.each([
    [{ PATIENT_BINDS_PER_30_DAYS: '0' }, 'Invalid configuration: PATIENT_BINDS_PER_30_DAYS must be a whole number from 1 to 50 (got "0")'],
    [{ PATIENT_BINDS_PER_30_DAYS: 'five' }, 'Invalid configuration: PATIENT_BINDS_PER_30_DAYS must be a whole number from 1 to 50 (got "five")'],
    [{ BOOKING_PEOPLE_PER_DAY: '2.5' }, 'Invalid configuration: BOOKING_PEOPLE_PER_DAY must be a whole number from 1 to 20 (got "2.5")'],
    [{ BOOKING_PEOPLE_PER_DAY: '21' }, 'Invalid configuration: BOOKING_PEOPLE_PER_DAY must be a whole number from 1 to 20 (got "21")'],
  ])('refuses the limit %j with one line', (env, message) => {
    expect(() => parseServerConfig(env)).toThrow(message);
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
