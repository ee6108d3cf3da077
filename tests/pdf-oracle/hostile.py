"""Writes hostile (and harmless) incremental updates to a sealed resolution, with pyHanko's writer.

Usage: hostile.py SEALED.pdf OUT_DIR SIGNER_KEY.pem SIGNER_CERT.pem CA.pem
Each case is OUT_DIR/<name>.pdf: the sealed bytes unchanged, plus one incremental update.
"""
import sys
import warnings

warnings.filterwarnings("ignore")

from pyhanko.keys import load_cert_from_pemder  # noqa: E402
from pyhanko.pdf_utils import generic  # noqa: E402
from pyhanko.pdf_utils.generic import pdf_name, pdf_string  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.sign import signers  # noqa: E402

SEALED, OUT, KEY, CERT, CA = sys.argv[1:6]


def writer():
    return IncrementalPdfFileWriter(open(SEALED, "rb"), strict=False)


def first_page(w):
    ref = w.root["/Pages"].raw_get("/Kids")[0]
    return ref, ref.get_object()


def stream(w, data: bytes, extra=None):
    d = generic.DictionaryObject(extra or {})
    return w.add_object(generic.StreamObject(d, stream_data=data))


def save(w, name):
    with open(f"{OUT}/{name}.pdf", "wb") as f:
        w.write(f)


def add_annotation(w, annot: dict):
    page_ref, page = first_page(w)
    annot_ref = w.add_object(generic.DictionaryObject(annot))
    annots = page.get("/Annots")
    if annots is None:
        annots = generic.ArrayObject()
        page[pdf_name("/Annots")] = annots
    annots.append(annot_ref)
    w.update_container(page)


def rect(*xs):
    return generic.ArrayObject(generic.FloatObject(x) for x in xs)


# 1. An annotation whose appearance paints a different figure over the text.
w = writer()
ap = stream(
    w,
    b"1 1 1 rg 0 0 200 30 re f 0 0 0 rg BT /Helv 18 Tf 4 8 Td (99,9 ty dong) Tj ET",
    {
        pdf_name("/Type"): pdf_name("/XObject"),
        pdf_name("/Subtype"): pdf_name("/Form"),
        pdf_name("/BBox"): rect(0, 0, 200, 30),
    },
)
add_annotation(
    w,
    {
        pdf_name("/Type"): pdf_name("/Annot"),
        pdf_name("/Subtype"): pdf_name("/FreeText"),
        pdf_name("/Rect"): rect(300, 500, 500, 530),
        pdf_name("/Contents"): pdf_string("99,9"),
        pdf_name("/DA"): pdf_string("/Helv 18 Tf 0 g"),
        pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): ap}),
    },
)
save(w, "overlay-annotation")

# 2. One more content stream on page 1.
w = writer()
page_ref, page = first_page(w)
extra = stream(w, b"q 1 1 1 rg 300 500 200 30 re f Q")
contents = page.raw_get("/Contents")
if isinstance(contents, generic.ArrayObject):
    contents.append(extra)
else:
    page[pdf_name("/Contents")] = generic.ArrayObject([contents, extra])
w.update_container(page)
save(w, "extra-content-stream")

# 3. A new page.
w = writer()
pages = w.root["/Pages"]
new_page = w.add_object(
    generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Page"),
            pdf_name("/Parent"): w.root.raw_get("/Pages"),
            pdf_name("/MediaBox"): rect(0, 0, 595.28, 841.89),
            pdf_name("/Contents"): stream(w, b"BT /F1 12 Tf 72 720 Td (Dieu 5) Tj ET"),
            pdf_name("/Resources"): generic.DictionaryObject(),
        }
    )
)
pages["/Kids"].append(new_page)
pages[pdf_name("/Count")] = generic.NumberObject(pages["/Count"] + 1)
w.update_container(pages)
save(w, "new-page")

# 4. A font of page 1 replaced (same object number, other program).
w = writer()
_, page = first_page(w)
fonts = page["/Resources"]["/Font"]
font_ref = fonts.raw_get(next(iter(fonts.keys())))
font = font_ref.get_object()
font[pdf_name("/BaseFont")] = pdf_name("/Helvetica")
w.mark_update(font_ref)
save(w, "replaced-font")

# 5. A form field changed: the chair's signed field moved elsewhere on its page.
w = writer()
field_ref = w.root["/AcroForm"]["/Fields"].raw_get(0)
field = field_ref.get_object()
field[pdf_name("/Rect")] = rect(10, 10, 200, 80)
w.mark_update(field_ref)
save(w, "changed-form-field")

# 6. A harmless-looking sticky note, whose text contains the literal "/ByteRange [0 1 2 3]".
w = writer()
add_annotation(
    w,
    {
        pdf_name("/Type"): pdf_name("/Annot"),
        pdf_name("/Subtype"): pdf_name("/Text"),
        pdf_name("/Rect"): rect(20, 800, 40, 820),
        pdf_name("/Contents"): pdf_string("Ghi chu (see /ByteRange [0 1 2 3])"),
    },
)
save(w, "sticky-note")

# 7. An update that only adds long-term validation data (a DSS with the CA certificate).
w = writer()
certs_stream = stream(w, load_cert_from_pemder(CA).dump())
dss_ref = w.add_object(
    generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/DSS"),
            pdf_name("/Certs"): generic.ArrayObject([certs_stream]),
        }
    )
)
w.root[pdf_name("/DSS")] = dss_ref
w.update_root()
save(w, "dss-only")

# 8. A later, valid signature in a new (invisible) field.
w = writer()
signer = signers.SimpleSigner.load(KEY, CERT, ca_chain_files=(CA,))
with open(f"{OUT}/second-signature.pdf", "wb") as f:
    signers.sign_pdf(
        w,
        signers.PdfSignatureMetadata(field_name="sig_extra", subfilter=None),
        signer=signer,
        output=f,
    )
