/**
 * The per-row room rule of a run with `check_rooms`, and of the `check` preflight: the room must
 * exist on the domain, and a token must not outlive its room. A public room passes, flagged, so
 * that the run can warn once per room. Pure and cheap: one Map lookup, no allocation for a good row.
 */
import type { RoomIndex } from './room-index.js';
import { isoSeconds } from '../output/columns.js';

export interface RoomCheck {
  /** Why the row is rejected, or undefined when the room takes the token. */
  problem: string | undefined;
  /** The room is public: anyone with its link joins; a token only adds properties. */
  public: boolean;
}

const OK_PRIVATE: RoomCheck = Object.freeze({ problem: undefined, public: false });
const OK_PUBLIC: RoomCheck = Object.freeze({ problem: undefined, public: true });

/** `room`: the room name a token is signed for (never empty); `exp`: the token's exp, unix seconds. */
export function checkRoom(index: Pick<RoomIndex, 'domain' | 'rooms'>, room: string, exp: number): RoomCheck {
  const facts = index.rooms.get(room);
  if (facts === undefined) {
    return { problem: `room \`${room}\` does not exist on domain \`${index.domain}\``, public: false };
  }
  if (facts.exp !== undefined && exp > facts.exp) {
    return {
      problem:
        `room \`${room}\` expires at ${isoSeconds(facts.exp)}, before this token's exp ${isoSeconds(exp)}: ` +
        `Daily refuses joins after the room's exp; give an earlier expires_at or extend the room`,
      public: facts.public,
    };
  }
  return facts.public ? OK_PUBLIC : OK_PRIVATE;
}

/** The message of the warning a run logs once for each public room its tokens are for. */
export function publicRoomWarning(room: string, domain: string): string {
  return `room \`${room}\` on domain \`${domain}\` is public: anyone with its link joins without a token, which only adds properties`;
}
