/** Whether this browser may show desktop notifications (asked for on the console). */
export type NotificationState = 'unsupported' | 'default' | 'granted' | 'denied';

export const notificationState = (): NotificationState =>
  'Notification' in window ? Notification.permission : 'unsupported';
