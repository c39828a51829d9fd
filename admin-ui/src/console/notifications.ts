/** Browser notifications for popups that ring while the tab is in the background. */
export function notifyIfHidden(title: string, body: string, tag: string): void {
  if (!('Notification' in window) || Notification.permission !== 'granted' || !document.hidden) return;
  const notification = new Notification(title, { body, tag });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
}

export type NotificationState = 'unsupported' | 'default' | 'granted' | 'denied';

export const notificationState = (): NotificationState =>
  'Notification' in window ? Notification.permission : 'unsupported';
