import { MitraPublicPlugin } from './plugin';

/** Kibana's browser entry point. */
export function plugin(): MitraPublicPlugin {
  return new MitraPublicPlugin();
}
