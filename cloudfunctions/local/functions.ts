// Every cloud function the local host serves, with the config.json WeChat DevTools deploys alongside it.
import { z } from 'zod';
import type { InvocationContext } from '../shared/createMain';
import type { Result } from '../shared/errors';
import * as admin from '../admin';
import adminConfig from '../admin/config.json';
import * as booking from '../booking';
import bookingConfig from '../booking/config.json';
import * as catalog from '../catalog';
import catalogConfig from '../catalog/config.json';
import * as message from '../message';
import messageConfig from '../message/config.json';
import * as patient from '../patient';
import * as payment from '../payment';
import paymentConfig from '../payment/config.json';
import patientConfig from '../patient/config.json';
import * as user from '../user';
import userConfig from '../user/config.json';

const functionConfigSchema = z.object({
  triggers: z
    .array(z.object({ name: z.string().min(1), type: z.literal('timer'), config: z.string().min(1) }))
    .default([]),
});

export type FunctionConfig = z.infer<typeof functionConfigSchema>;

export interface HostedFunction {
  name: string;
  main(event: unknown, context?: InvocationContext): Promise<Result<unknown>>;
  config: FunctionConfig;
}

export const HOSTED_FUNCTIONS: HostedFunction[] = [
  { name: 'user', main: user.main, config: functionConfigSchema.parse(userConfig) },
  { name: 'patient', main: patient.main, config: functionConfigSchema.parse(patientConfig) },
  { name: 'catalog', main: catalog.main, config: functionConfigSchema.parse(catalogConfig) },
  { name: 'admin', main: admin.main, config: functionConfigSchema.parse(adminConfig) },
  { name: 'booking', main: booking.main, config: functionConfigSchema.parse(bookingConfig) },
  { name: 'payment', main: payment.main, config: functionConfigSchema.parse(paymentConfig) },
  { name: 'message', main: message.main, config: functionConfigSchema.parse(messageConfig) },
];
