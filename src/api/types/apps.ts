// Apps of a workspace (API gateway apps).

import type { OpenEnum, Parsed } from './common';

export const APP_TYPES = ['APIC', 'APIG', 'DEDICATE_APIG'] as const;
export type AppType = (typeof APP_TYPES)[number];

export interface App extends Parsed {
  app_id: string;
  app_name: string;
  app_remark?: string;
  app_key?: string;
  /** Secret: redact before showing. */
  app_secret?: string;
  app_codes?: string[];
  app_type?: OpenEnum<AppType>;
  bounded_api_count?: number;
  created_at?: number;
  updated_at?: number;
  project_id?: string;
  user_id?: string;
}

export interface AppCreateRequest {
  app_name: string;
  app_remark?: string;
  workspace_id?: string;
}
