"""Abdominal aortic aneurysm: an older man with "renal colic" and hypotension.

Teaches: why to scan the aorta, technique, identifying the IVC and mural thrombus,
measuring the outer-to-outer diameter on a calibrated still, that ultrasound cannot rule
rupture in or out, and going to theatre without CT when he is unstable.
"""

from __future__ import annotations

from pathlib import Path

from .. import render
from ..bmode import BMode, fit_display
from ..casedef import Case, KeyPoint, Segment
from ..items import branch, circle, hotspot, measurement, multiple, polygon, single
from ..poster import write_poster
from ..scenes.aorta import AortaScene
from . import assemble
from .efast_trauma import curved_probe

ID = "aaa"


def case(root: Path) -> Case:
    folder = root / ID
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    write_poster(
        media / "patient.png",
        "Emergency department · simulated patient",
        "Robert Hughes, 71",
        [
            "Male, smoker, treated hypertension",
            "Sudden left flank and back pain",
            "Felt faint at home; triage: 'renal colic'",
        ],
        "Synthetic case: names and images are simulated",
    )
    probe = curved_probe(depth_mm=140)
    disp = fit_display(probe)
    scene = AortaScene(seed=41)
    bm = BMode(probe, disp, seed=401)
    clip = render.clip(
        folder,
        "media/aorta_transverse.mp4",
        bm,
        scene,
        "transverse-clip",
        "Transverse, mid-abdomen just above the umbilicus",
        2.4,
        with_size=True,
        description=(
            "Transverse B-mode clip of the mid-abdomen above the umbilicus, curvilinear probe, "
            "marker to the patient's right; bowel near the surface, the vertebral body and its "
            "shadow deep"
        ),
    )
    t_still = 0.45  # diastole: the wall at rest
    still, _ = render.still(
        folder,
        "media/aorta_still.png",
        bm,
        scene,
        "transverse-still",
        "Transverse, frozen at the widest point (calibrated)",
        t=t_still,
        calibrated=True,
        description=(
            "Transverse B-mode still of the mid-abdomen at the same level, calibrated for "
            "measurement; the vertebral body and its shadow deep"
        ),
    )
    diameter_mm = 2 * scene.outer_radius(t_still)
    cx, cz = scene.centre
    r = scene.outer_radius(t_still)
    (x0, y0), (x1, y1) = render.to_px(bm, [(cx - r, cz), (cx + r, cz)])
    overlay = {
        "from": [round(x0), round(y0)],
        "to": [round(x1), round(y1)],
        "label": f"{diameter_mm / 10:.1f} cm",
    }
    measured, _ = render.still(
        folder,
        "media/aorta_measured.png",
        bm,
        scene,
        "measured",
        "Transverse, measured outer wall to outer wall",
        t=t_still,
        calibrated=True,
        overlays=[overlay],
        description=(
            "Transverse B-mode still of the mid-abdomen at the same level, with one caliper line "
            "drawn and its length shown"
        ),
    )

    ivc = circle("ivc", bm.display.to_px(-42.0, 88.0), 17.0 * bm.display.scale)
    aorta_c = circle("aorta", bm.display.to_px(cx, cz), (r + 2.0) * bm.display.scale)
    spine = circle("vertebra", bm.display.to_px(0.0, 124.0), 10.0 * bm.display.scale)
    thrombus = polygon("thrombus", render.to_px(bm, scene.thrombus_outline(t_still)))
    lx, lz, lr = scene.lumen(t_still)
    lumen = circle("lumen", bm.display.to_px(lx, lz), lr * bm.display.scale)

    vitals_0 = {
        "HR": "112/min",
        "BP": "96/60 mmHg",
        "RR": "22/min",
        "SpO2": "96 % (air)",
        "Pain": "9/10, left flank and back",
    }
    labs_0 = {"Hb": "11.4 g/dL", "Creatinine": "1.4 mg/dL", "Urine dipstick": "blood +"}
    vitals_1 = {"HR": "128/min", "BP": "78/44 mmHg", "RR": "28/min", "Skin": "mottled"}

    kp_plan = KeyPoint(
        "kp-plan",
        "Before you scan",
        clinical_info={"vitals": vitals_0, "labs": labs_0},
        items=[
            single(
                "q-why-aorta",
                "The triage note says 'renal colic'. Why scan his aorta first?",
                [
                    (
                        "mimic",
                        "A ruptured aneurysm mimics renal colic: over 50, first episode, "
                        "with hypotension or syncope",
                    ),
                    ("hydro", "To grade hydronephrosis before giving analgesia"),
                    ("stone", "To see the ureteric stone"),
                    ("routine", "Aortic screening is routine for every man over 65 in the ED"),
                ],
                "mimic",
                ["pathologies", "indication"],
                "'Renal colic' for the first time after the age of 50, especially with "
                "hypotension, syncope or back pain, is a ruptured abdominal aortic aneurysm "
                "until proven otherwise; haematuria on the dipstick does not exclude it. A "
                "bedside scan answers the question in minutes. Hydronephrosis and stones "
                "can wait.",
            ),
            multiple(
                "q-technique",
                "Which two techniques give the best view of the aorta?",
                [
                    (
                        "sweep",
                        "Curvilinear probe, transverse, sweeping from the xiphoid to the "
                        "bifurcation at the umbilicus",
                    ),
                    ("pressure", "Steady, graded pressure to push bowel gas out of the way"),
                    ("linear", "A high-frequency linear probe for better resolution"),
                    ("one", "One measurement just below the xiphoid is enough"),
                ],
                ["sweep", "pressure"],
                ["views", "acquisition"],
                "The whole abdominal aorta is followed in transverse from the coeliac trunk to "
                "the bifurcation, then in longitudinal, with a low-frequency curvilinear probe; "
                "most aneurysms are infrarenal and would be missed by a single subxiphoid "
                "look. Slow graded compression moves bowel gas aside. A linear probe does "
                "not reach the depth of the aorta.",
                scoring="partial",
                select=2,
            ),
        ],
    )

    kp_transverse = KeyPoint(
        "kp-transverse",
        "Transverse view",
        prompt="Marker to the patient's right: the patient's right is on the screen's left.",
        media=[clip, still],
        items=[
            hotspot(
                "q-ivc",
                "In the clip, click on the inferior vena cava.",
                "transverse-clip",
                [ivc, aorta_c, spine],
                ["ivc"],
                ["anatomy", "acquisition"],
                "With the marker to the patient's right, the IVC lies on the screen's left: "
                "thin-walled, oval and compressible, on the right of the vertebral body. The "
                "aorta is on the left of the midline, round, thick-walled and pulsatile, on "
                "the vertebral body, whose bright curved surface casts a black shadow.",
            ),
            hotspot(
                "q-thrombus",
                "In the still image, click on the mural thrombus.",
                "transverse-still",
                [thrombus, lumen],
                ["thrombus"],
                ["findings", "interpretation"],
                "The mural thrombus is the grey, layered material lining the aneurysm wall, "
                "thickest on the patient's left and anteriorly here, around an eccentric "
                "black lumen. Thrombus is why the outer wall must be measured: measuring the "
                "lumen alone underestimates the aneurysm.",
            ),
            measurement(
                "q-diameter",
                "Measure the maximal diameter of the aorta on the still image.",
                "transverse-still",
                round(diameter_mm, 1),
                4.0,
                ["artifacts", "interpretation"],
                "Measure outer wall to outer wall, perpendicular to the vessel, at its widest, "
                f"in transverse (and check in longitudinal). This aorta is about "
                f"{diameter_mm / 10:.1f} cm: an aneurysm (30 mm or more), well above the "
                "55 mm at which men are offered repair even without symptoms. Measuring "
                "inner to inner, or only the lumen, underestimates it.",
            ),
        ],
    )

    kp_rupture = KeyPoint(
        "kp-rupture",
        "Has it ruptured?",
        items=[
            single(
                "q-ruptured",
                "Does the scan show whether the aneurysm has ruptured?",
                [
                    ("yes", "Yes: the thrombus shows that it has ruptured"),
                    ("no", "No: there is no free fluid, so it has not ruptured"),
                ],
                "not_possible",
                ["limits", "mdm"],
                "Most ruptures bleed into the retroperitoneum, which ultrasound shows poorly; "
                "free intraperitoneal fluid is rare and late. Mural thrombus is part of most "
                "aneurysms and says nothing about rupture. The scan shows the aneurysm; "
                "whether it has ruptured is decided clinically: an aneurysm with pain and "
                "hypotension is treated as ruptured.",
                not_possible=True,
            ),
        ],
    )

    kp_unstable = KeyPoint(
        "kp-unstable",
        "His blood pressure falls",
        clinical_info={"vitals": vitals_1},
        items=[
            single(
                "q-next",
                "What do you do now?",
                [
                    (
                        "theatre",
                        "Call the vascular surgeon for immediate repair, without CT; "
                        "permissive hypotension",
                    ),
                    ("ct", "CT angiography first to plan the repair"),
                    ("fluids", "Two litres of crystalloid to restore a normal blood pressure"),
                    ("repeat", "Repeat the scan in 30 minutes to look for growth"),
                ],
                "theatre",
                ["pathologies", "mdm"],
                "An unstable patient with a known or newly found aneurysm and abdominal or "
                "back pain goes to theatre (or the hybrid suite) without waiting for CT. "
                "Resuscitation aims at a systolic pressure around 70 to 90 with a conscious "
                "patient: pushing it to normal with crystalloid worsens the bleeding. A "
                "stable patient would have CT angiography first.",
            ),
        ],
        branches=[branch("theatre", item="q-next", equals="theatre")],
    )

    kp_handover = KeyPoint(
        "kp-handover",
        "Handover to the vascular surgeon",
        prompt="The image you saved, with your measurement.",
        media=[measured],
        items=[
            multiple(
                "q-handover",
                "What belongs in your handover? Select all that apply.",
                [
                    ("diameter", "The maximal diameter, outer wall to outer wall"),
                    ("level", "Where it lies: relation to the renal arteries and the bifurcation"),
                    ("haemo", "His haemodynamic state and response to fluid"),
                    ("clot", "The exact volume of the mural thrombus"),
                ],
                ["diameter", "level", "haemo"],
                ["artifacts", "mdm"],
                "The surgeon needs the size, the extent (a neck below the renal arteries "
                "allows endovascular repair; iliac involvement changes the plan) and the "
                "patient's physiology. The volume of thrombus does not change the "
                "decision.",
                scoring="partial",
            ),
        ],
    )

    presentation = Segment(
        "presentation",
        "Flank pain and collapse: history",
        [
            "Mr Robert Hughes, a 71 year old man, arrives by ambulance with sudden severe "
            "pain in his left flank and back.",
            "He felt faint and sweaty at home, and the triage note says renal colic.",
            "He smokes, takes tablets for high blood pressure, and has never had kidney stones.",
            "His heart rate is 112, blood pressure 96 over 60, and his urine dipstick shows blood.",
            "You reach for the ultrasound machine before giving him morphine.",
            kp_plan,
            "You start in the epigastrium with the curvilinear probe.",
        ],
        next="scan",
        poster="media/patient.png",
    )

    scan = Segment(
        "scan",
        "Scanning the aorta",
        [
            "Sweeping down from the epigastrium, you find the aorta widening above the umbilicus.",
            "You freeze the image where it is widest.",
            kp_transverse,
            "There is no free fluid in Morison's pouch or behind the bladder.",
            kp_rupture,
            "Mr Hughes becomes grey and confused.",
            "His heart rate is 128 and his blood pressure 78 over 44.",
            kp_unstable,
            "You request a CT angiogram.",
        ],
        next="ct",
        poster="media/patient.png",
    )

    ct = Segment(
        "ct",
        "The CT scanner",
        [
            "The CT shows a ruptured infrarenal aneurysm with a large left retroperitoneal "
            "haematoma.",
            "On the way back his blood pressure falls to 50 systolic.",
            "The vascular team takes him straight to theatre.",
            "Remember: an unstable patient with an aneurysm and pain goes to theatre, not to CT.",
        ],
        next="theatre",
        poster="media/patient.png",
    )

    theatre = Segment(
        "theatre",
        "To theatre",
        [
            "The vascular surgeon arrives and asks what you found.",
            kp_handover,
            "Mr Hughes has an emergency repair of a ruptured infrarenal aneurysm and is "
            "transferred to intensive care.",
        ],
        poster="media/patient.png",
    )

    segments = [presentation, scan, ct, theatre]
    return assemble(
        ID,
        "tools/make_media/library/aaa.py",
        segments,
        title="Flank pain and collapse in an older man",
        clinical_area="aaa",
        time_limit_minutes=20,
        cut_score=70,
        show_results=True,
        summary="A 71-year-old man with 'renal colic' and hypotension. Scan and measure "
        "his aorta, know what the scan cannot tell, and act when he deteriorates.",
    )
