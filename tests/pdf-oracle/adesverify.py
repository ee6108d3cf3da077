"""pyHanko's AdES validation (ETSI EN 319 102-1 §5.6.3, long-term with archival time stamps), with revocation
checking required, as `pyhanko sign adesverify` runs it; one JSON line.

Usage: adesverify.py FILE.pdf CA.pem [CA.pem ...]
Revocation information must be found (REQUIRE_REVINFO); nothing is fetched from the network, so the CRLs must come
from the document's DSS (PAdES B-LT). Output:
{"signatures": [{"field", "indication", "subindication", "failure", "bottom_line", "signature_timestamp",
"oldest_evidence_record_timestamp"}], "document_timestamps": [{"field", "intact", "valid", "trusted", "time"}]}
or {"error": "..."}.
"""
import asyncio
import json
import logging
import sys
import warnings

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)

from pyhanko.keys import load_cert_from_pemder  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY  # noqa: E402
from pyhanko.sign.validation import validate_pdf_timestamp  # noqa: E402
from pyhanko.sign.validation.ades import ades_lta_validation  # noqa: E402
from pyhanko.sign.validation.policy_decl import PdfSignatureValidationSpec, SignatureValidationSpec  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402
from pyhanko_certvalidator.context import CertValidationPolicySpec  # noqa: E402
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo  # noqa: E402
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy, FreshnessReqType  # noqa: E402
from pyhanko_certvalidator.registry import SimpleTrustManager  # noqa: E402


def iso(t):
    return t.isoformat() if t is not None else None


def main(pdf_path, ca_paths):
    roots = [load_cert_from_pemder(p) for p in ca_paths]
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=roots),
        revinfo_policy=CertRevTrustPolicy(
            REQUIRE_REVINFO, freshness=None, freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION
        ),
    )
    spec = PdfSignatureValidationSpec(
        signature_validation_spec=SignatureValidationSpec(cert_validation_policy=policy),
        diff_policy=DEFAULT_DIFF_POLICY,
    )
    sigs, stamps = [], []
    try:
        with open(pdf_path, "rb") as f:
            r = PdfFileReader(f, strict=False)
            for sig in r.embedded_regular_signatures:
                res = asyncio.run(ades_lta_validation(sig, spec, timing_info=ValidationTimingInfo.now()))
                ts = res.signature_timestamp_status
                sigs.append(
                    {
                        "field": sig.field_name,
                        "indication": res.ades_subindic.status.name,
                        "subindication": res.ades_subindic.name,
                        "failure": res.failure_msg,
                        "bottom_line": bool(res.api_status.bottom_line) if res.api_status is not None else None,
                        "signature_timestamp": iso(ts.api_status.timestamp) if ts is not None and ts.api_status is not None else None,
                        "oldest_evidence_record_timestamp": iso(res.oldest_evidence_record_timestamp),
                    }
                )
            # The document timestamps themselves, with the same trust anchors (no network either).
            vc = ValidationContext(trust_roots=roots, allow_fetching=False)
            for ts in r.embedded_timestamp_signatures:
                st = validate_pdf_timestamp(ts, validation_context=vc)
                stamps.append(
                    {"field": ts.field_name, "intact": bool(st.intact), "valid": bool(st.valid), "trusted": bool(st.trusted), "time": iso(st.timestamp)}
                )
    except Exception as e:  # reported, not crashed on
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return
    print(json.dumps({"signatures": sigs, "document_timestamps": stamps}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
