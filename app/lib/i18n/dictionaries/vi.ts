// Every Vietnamese text of the app in one dictionary. Kept apart from the English one (en.ts, the same sources in
// the same order) so a browser downloads only its own language: the build tree-shakes the other half away.
import { vi as domain } from '../../domain/messages';
import { vi as media } from '../../../../media/messages';
import { vi as video } from '../../video/messages';
import { vi as city } from '../messages/city';
import { vi as consultationLive } from '../messages/consultation-live';
import { vi as core } from '../messages/core';
import { vi as resolutions } from '../messages/resolutions';
import { vi as sittingNotices } from '../messages/sitting-notices';
import { vi as sittingUi } from '../messages/sitting-ui';
import { vi as secretBallotUi } from '../messages/secret-ballot-ui';
import { vi as sittings } from '../messages/sittings';
import { merge, signingTexts } from './merge';

export const vi = /* @__PURE__ */ merge([core, domain, sittings, media, video, sittingUi, resolutions, signingTexts('vi'), city, sittingNotices, consultationLive, secretBallotUi]);
