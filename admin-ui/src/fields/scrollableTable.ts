/**
 * For a Datagrid's `sx`: on a phone the table scrolls sideways inside its own box, so the page
 * itself (header, menu, buttons) stays the width of the screen.
 */
export const scrollableTable = {
  maxWidth: '100%',
  '& .RaDatagrid-tableWrapper': { overflowX: 'auto', maxWidth: '100vw' },
} as const;
