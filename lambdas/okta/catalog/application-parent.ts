/**
 * The Application parent of the app-assignment relations (ApplicationUser, ApplicationGroup): which child columns
 * are parent columns (filters on them narrow the app scan) and the parent columns each row carries.
 */
import { field } from './field.js';
import type { FieldDef } from './types.js';

export const APPLICATION_PARENT_FIELDS: Readonly<Record<string, string>> = {
  app_id: 'id',
  app_name: 'name',
  app_label: 'label',
  app_status: 'status',
};

/** `app_name`, `app_label`, `app_status` from the parent app (`app_id` is each relation's own key field). */
export function applicationParentColumns(): FieldDef[] {
  return [
    field({
      column: 'app_name',
      label: 'Application Name',
      path: '_parent.name',
      type: 'String',
      description: 'App name.',
    }),
    field({
      column: 'app_label',
      label: 'Application Label',
      path: '_parent.label',
      type: 'String',
      description: 'Label.',
    }),
    field({
      column: 'app_status',
      label: 'Application Status',
      path: '_parent.status',
      type: 'String',
      description: 'ACTIVE/INACTIVE.',
    }),
  ];
}
