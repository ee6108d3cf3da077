// Every English text of the app in one dictionary. Kept apart from the Vietnamese one (vi.ts, the same sources in
// the same order) so a browser downloads only its own language: the build tree-shakes the other half away.
import { en as domain } from '../../domain/messages';
import { en as media } from '../../../../media/messages';
import { en as video } from '../../video/messages';
import { en as city } from '../messages/city';
import { en as consultationLive } from '../messages/consultation-live';
import { en as core } from '../messages/core';
import { en as resolutions } from '../messages/resolutions';
import { en as sittingNotices } from '../messages/sitting-notices';
import { en as sittingUi } from '../messages/sitting-ui';
import { en as secretBallotUi } from '../messages/secret-ballot-ui';
import { en as sittings } from '../messages/sittings';
import { merge, signingTexts } from './merge';

export const en = /* @__PURE__ */ merge([core, domain, sittings, media, video, sittingUi, resolutions, signingTexts('en'), city, sittingNotices, consultationLive, secretBallotUi]);
