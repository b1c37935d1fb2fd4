// Which template ids the app asks for at each tap (wx.requestSubscribeMessage): at most 3 per call, never
// one-time and long-term together. The booking confirm tap asks for the booking result, the closing notice and
// change notices; the pay tap for the refund notices; long-term templates (the reminder) form their own prompt.
import type { MessageEvent, TemplateKind, TemplateTable } from './templates';

export interface SubscriptionPrompt {
  tap: 'booking' | 'payment';
  kind: TemplateKind;
  templateIds: string[];
}

const TAPS: Record<SubscriptionPrompt['tap'], MessageEvent[]> = {
  booking: ['booking_confirmed', 'visit_reminder', 'visit_day_reminder', 'payment_closing', 'cancelled', 'stop_clinic', 'doctor_substituted', 'proxy_booked', 'proxy_cancelled'],
  payment: ['refund_underway', 'refund_completed'],
};

export function subscriptionPrompts(templates: TemplateTable): SubscriptionPrompt[] {
  const prompts: SubscriptionPrompt[] = [];
  for (const [tap, events] of Object.entries(TAPS) as [SubscriptionPrompt['tap'], MessageEvent[]][]) {
    for (const kind of ['once', 'long'] as const) {
      const ids = [...new Set(events.map((event) => templates[event]).filter((template) => template?.kind === kind).map((template) => template!.id))];
      if (ids.length) prompts.push({ tap, kind, templateIds: ids.slice(0, 3) });
    }
  }
  return prompts;
}
