import { sql } from "drizzle-orm";
import type { OutboundEcho } from "../channels/shared/outboundEcho.js";
import type { Database } from "./openDatabase.js";

/**
 * Notes on the row being sent what each echo says reached the person. Only a row still being sent ("sending")
 * takes a mark: for a settled row the echo says nothing new. A redelivered echo is not counted twice.
 * - Messenger: the echo's metadata names the row and the part.
 * - Zalo: the echo carries the text and its message id; it belongs to the recipient's row being sent (one at a time
 *   under the recipient lock) unless the id is one a sender already stored for another row (a late echo of the row
 *   settled just before).
 */
export async function recordOutboundEchoes(db: Database, echoes: readonly OutboundEcho[]): Promise<void> {
  for (const echo of echoes) {
    if (echo.channel === "messenger") {
      await db.execute(sql`update outbound_messages set echoes = array_append(echoes, ${echo.mark})
        where id = ${echo.outboxId} and channel = 'messenger' and user_id = ${echo.userId} and status = 'sending'
          and not (${echo.mark} = any(echoes))`);
      continue;
    }
    await db.execute(sql`update outbound_messages set echoes = array_append(echoes, ${echo.mark})
      where id = (select id from outbound_messages where channel = 'zalo' and user_id = ${echo.userId} and status = 'sending' order by id limit 1)
        and status = 'sending' and not (${echo.mark} = any(echoes))
        and not exists (select 1 from outbound_messages known where known.channel = 'zalo' and known.user_id = ${echo.userId}
          and ${echo.platformMessageId}::text = any(string_to_array(known.platform_message_id, ' ')))`);
  }
}
