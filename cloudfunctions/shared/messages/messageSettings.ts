// Subscription-message settings from the environment: the hospital's templates (MESSAGE_TEMPLATES, JSON), the
// hour of the day-before reminder (MESSAGE_REMINDER_AT), the hospital's optional visit-day morning reminder
// (MESSAGE_VISIT_DAY_AT, off unless set) and which version of the mini program a notice opens
// (MESSAGE_MINIPROGRAM_STATE). Only the message function reads them (it sends); the functions that queue
// messages need none, which keeps their environment within WeChat cloud's 4 KB.
import { z } from 'zod';
import { ConfigError, emptyToUndefined } from '../config';
import { DEMO_TEMPLATES, templateTableSchema, type TemplateTable } from './templates';

export interface MessageSettings {
  templates: TemplateTable;
  /** HH:mm, hospital time, of the reminder the day before a visit. */
  reminderAt: string;
  /** HH:mm, hospital time, of the reminder on the visit day; null = none (the default). */
  visitDayAt: string | null;
  miniprogramState: 'developer' | 'trial' | 'formal';
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

const schema = z.object({
  MESSAGE_TEMPLATES: z.string().optional(),
  MESSAGE_REMINDER_AT: z.string().regex(HH_MM, 'must be HH:mm (24-hour)').default('18:00'),
  MESSAGE_VISIT_DAY_AT: z.string().regex(HH_MM, 'must be HH:mm (24-hour), or unset for no visit-day reminder').optional(),
  MESSAGE_MINIPROGRAM_STATE: z.enum(['developer', 'trial', 'formal']).optional(),
});

/**
 * Without MESSAGE_TEMPLATES outside production, the demo templates (the stand-in knows them); production
 * without it is refused at start-up (productionRequirements.ts).
 */
export function parseMessageSettings(env: Record<string, string | undefined>): MessageSettings {
  const clean = emptyToUndefined(env);
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const production = clean.NODE_ENV === 'production';
  let templates: TemplateTable = DEMO_TEMPLATES;
  if (parsed.data.MESSAGE_TEMPLATES !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(parsed.data.MESSAGE_TEMPLATES);
    } catch {
      throw new ConfigError('Invalid configuration: MESSAGE_TEMPLATES must be JSON (README "Subscription messages")');
    }
    const table = templateTableSchema.safeParse(json);
    if (!table.success) {
      const issue = table.error.issues[0];
      throw new ConfigError(`Invalid configuration: MESSAGE_TEMPLATES.${issue.path.join('.')} ${issue.message}`);
    }
    templates = table.data;
  }
  return {
    templates,
    reminderAt: parsed.data.MESSAGE_REMINDER_AT,
    visitDayAt: parsed.data.MESSAGE_VISIT_DAY_AT ?? null,
    miniprogramState: parsed.data.MESSAGE_MINIPROGRAM_STATE ?? (production ? 'formal' : 'developer'),
  };
}
