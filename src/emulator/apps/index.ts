// APIG apps (/v1/{project_id}/app-auth/apps…): the family's public face; family.ts holds routes and seed.

export { APP_NAME_PATTERN, type AppsExtra, type AppsFamily, createAppsFamily, MAX_APPS } from './family';
