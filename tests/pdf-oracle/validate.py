"""pyHanko as an independent oracle: validates every signature of a PDF and prints one JSON line.

Usage: validate.py FILE.pdf CA.pem
Output: {"signatures": [{"field", "intact", "valid", "trusted", "coverage", "modification_level",
"docmdp_ok", "docmdp_level", "timestamp_valid", "timestamp_time"}, ...]} in file order, or {"error": "..."} when
pyHanko cannot read the file. timestamp_valid is null without a signature timestamp (PAdES B-T), else whether pyHanko
finds the token intact, valid and its TSA trusted; timestamp_time is the token's time (ISO 8601) or null.
"""
import json
import logging
import sys
import warnings

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)  # pyHanko logs each rejected diff with a traceback; the verdict is in the JSON

from pyhanko.keys import load_cert_from_pemder  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign.validation import validate_pdf_signature  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402


def main(pdf_path: str, ca_path: str) -> None:
    vc = ValidationContext(trust_roots=[load_cert_from_pemder(ca_path)])
    out = []
    try:
        with open(pdf_path, "rb") as f:
            reader = PdfFileReader(f, strict=False)
            for sig in reader.embedded_signatures:
                status = validate_pdf_signature(sig, vc)
                ts = status.timestamp_validity
                out.append(
                    {
                        "field": sig.field_name,
                        "intact": bool(status.intact),
                        "valid": bool(status.valid),
                        "trusted": bool(status.trusted),
                        "coverage": status.coverage.name if status.coverage else None,
                        "modification_level": status.modification_level.name if status.modification_level else None,
                        "docmdp_ok": status.docmdp_ok,
                        "docmdp_level": sig.docmdp_level.name if sig.docmdp_level else None,
                        "timestamp_valid": bool(ts.intact and ts.valid and ts.trusted) if ts is not None else None,
                        "timestamp_time": ts.timestamp.isoformat() if ts is not None else None,
                    }
                )
    except Exception as e:  # a file pyHanko cannot read is reported, not crashed on
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return
    print(json.dumps({"signatures": out}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
