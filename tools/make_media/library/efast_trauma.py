"""Abdominal trauma (eFAST): haemoperitoneum in Morison's pouch in a hypotensive
motorcyclist who does not respond to blood, and a deviation from the normal path (CT) to
the operating theatre.

Teaches: the FAST sequence, what question FAST answers, free fluid in the hepatorenal
space, the splenorenal view and the anterior chest (eFAST), acting on a positive FAST in an
unstable patient, and what FAST cannot tell.
"""

from __future__ import annotations

import math
from pathlib import Path

from .. import render
from ..bmode import BMode, Probe, fit_display
from ..casedef import Case, KeyPoint, Segment
from ..items import branch, circle, hotspot, multiple, ordering, polygon, single
from ..poster import write_poster
from ..scenes.abdomen import FlankScene
from ..scenes.lung import LungScene
from . import assemble
from .lung_pneumothorax import lung_probe

ID = "efast-trauma"
BREATH_S = 2.4


def curved_probe(depth_mm: float = 150) -> Probe:
    return Probe(
        "curved",
        depth_mm=depth_mm,
        angle_deg=70,
        radius_mm=45,
        lines=192,
        samples=700,
        axial_res_mm=0.4,
        lateral_res_mm=0.9,
        tgc_db_per_mm=0.26,
    )


def fluid_polygon(scene: FlankScene, bm: BMode, t: float) -> list[tuple[float, float]]:
    """A polygon (px) around the fluid stripe over the kidney, for the whole breath."""
    kx, kz, a, b, ang = scene.kidney
    sh = scene.excursion_mm / 2  # mid-breath position; the margin covers the excursion
    inner, outer = [], []
    for k in range(9):
        th = math.pi * (1.08 + 0.75 * k / 8)  # the upper (anterior) arc of the kidney
        ex, ez = a * math.cos(th), b * math.sin(th)
        c, s = math.cos(ang), math.sin(ang)
        px, pz = kx + ex * c - ez * s + sh, kz + ex * s + ez * c
        nx, nz = px - kx - sh, pz - kz
        n = math.hypot(nx, nz)
        inner.append((px - 2.0 * nx / n, pz - 2.0 * nz / n))
        reach = scene.fluid_mm * float(scene._taper(px - sh)) + 4.0
        outer.append((px + reach * nx / n, pz + reach * nz / n))
    tip_x, tip_z = kx + a * 0.8 + sh, kz - b * 1.05
    outer.append((tip_x + 12.0, tip_z + 4.0))
    return render.to_px(bm, inner + outer[::-1])


def case(root: Path) -> Case:
    folder = root / ID
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    write_poster(
        media / "patient.png",
        "Trauma bay · simulated patient",
        "Tomás Silva, 28",
        [
            "Male, motorcyclist, hit a car at 60 km/h",
            "Abdominal pain, pale and sweaty",
            "Two large-bore cannulas in place",
        ],
        "Synthetic case: names and images are simulated",
    )
    probe = curved_probe()
    disp = fit_display(probe)
    ruq_scene = FlankScene("liver", fluid_mm=7.0, breath_s=BREATH_S, seed=31)
    bm_ruq = BMode(probe, disp, seed=301)
    ruq = render.clip(
        folder,
        "media/ruq.mp4",
        bm_ruq,
        ruq_scene,
        "ruq",
        "Right upper quadrant, coronal, mid-axillary line",
        BREATH_S,
        with_size=True,
        description=(
            "Coronal B-mode clip of the right upper quadrant, mid-axillary line, curvilinear "
            "probe; liver and right kidney in view as the patient breathes"
        ),
    )
    fluid_region = polygon("free-fluid", fluid_polygon(ruq_scene, bm_ruq, 0.0))
    kx, kz, *_ = ruq_scene.kidney
    kidney_region = circle(
        "kidney", bm_ruq.display.to_px(kx + 2.5, kz + 4.0), 14.0 * bm_ruq.display.scale
    )

    luq_scene = FlankScene("spleen", fluid_mm=0.0, breath_s=BREATH_S, seed=32)
    bm_luq = BMode(probe, disp, seed=302)
    luq, _ = render.still(
        folder,
        "media/luq.png",
        bm_luq,
        luq_scene,
        "luq",
        "Left upper quadrant, coronal, posterior axillary line",
        t=0.0,
        description=(
            "Coronal B-mode still of the left upper quadrant, posterior axillary line, curvilinear"
            " probe; the organs under the left lower ribs in view"
        ),
    )
    spleen_region = circle("spleen", bm_luq.display.to_px(-6.0, 40.0), 20.0 * bm_luq.display.scale)
    lk_region = circle("left-kidney", bm_luq.display.to_px(26.0, 80.0), 14.0 * bm_luq.display.scale)

    lp = lung_probe()
    chest = render.clip(
        folder,
        "media/left_chest.mp4",
        BMode(lp, fit_display(lp), seed=303),
        LungScene(breath_period_s=BREATH_S, seed=33),
        "left-chest",
        "Left anterior chest, 3rd intercostal space",
        BREATH_S,
        description=(
            "Longitudinal B-mode clip of the left anterior chest, 3rd intercostal space, linear "
            "probe; two rib shadows with the pleural line between them"
        ),
    )

    vitals_0 = {
        "HR": "124/min",
        "BP": "92/58 mmHg",
        "RR": "26/min",
        "SpO2": "97 % (15 L/min O2)",
        "GCS": "14",
    }
    labs_0 = {"Hb": "11.9 g/dL", "Lactate": "4.1 mmol/L", "Base excess": "-6 mmol/L"}
    vitals_1 = {
        "HR": "142/min",
        "BP": "74/40 mmHg",
        "RR": "32/min",
        "GCS": "12",
        "Given": "2 units of red cells",
    }
    labs_1 = {"Hb": "8.6 g/dL", "Lactate": "6.8 mmol/L"}

    kp_plan = KeyPoint(
        "kp-plan",
        "Before you scan",
        clinical_info={"vitals": vitals_0, "labs": labs_0},
        items=[
            single(
                "q-question",
                "What question does the FAST answer for him right now?",
                [
                    (
                        "fluid",
                        "Is there free fluid (blood) in the abdomen or pericardium to "
                        "explain his shock?",
                    ),
                    ("organ", "Which solid organ is injured, and how badly?"),
                    ("retro", "Is there a retroperitoneal haematoma?"),
                    ("bowel", "Is there a hollow viscus perforation?"),
                ],
                "fluid",
                ["findings", "indication"],
                "In a hypotensive trauma patient FAST answers a yes/no question: is there "
                "free fluid, presumed blood, in the peritoneum or pericardium? A positive "
                "scan in an unstable patient points to the operating theatre. It does not "
                "grade organ injury and is poor at retroperitoneal and hollow-organ injury.",
            ),
            ordering(
                "q-sequence",
                "Put the four FAST windows in the order taught by ATLS.",
                [
                    ("pelvis", "Pelvis (suprapubic): fluid around and behind the bladder"),
                    ("ruq", "Right upper quadrant: hepatorenal space (Morison's pouch)"),
                    ("pericardium", "Subxiphoid: pericardium"),
                    ("luq", "Left upper quadrant: splenorenal space"),
                ],
                ["pericardium", "ruq", "luq", "pelvis"],
                ["views", "acquisition"],
                "ATLS describes the pericardial sac first, then the hepatorenal fossa, the "
                "splenorenal fossa and the pelvis; eFAST adds both anterior chests for "
                "pneumothorax. Scanning the heart first also sets the gain so that blood "
                "looks black. In practice many start with Morison's pouch, the most "
                "sensitive single window, but every window is scanned in the same order "
                "each time so that none is forgotten.",
                scoring="partial",
            ),
        ],
    )

    kp_ruq = KeyPoint(
        "kp-ruq",
        "Right upper quadrant",
        prompt="The subxiphoid view showed no pericardial fluid. Now the right upper quadrant.",
        media=[ruq],
        items=[
            single(
                "q-ruq",
                "What does the right upper quadrant clip show?",
                [
                    ("positive", "Free fluid in the hepatorenal space: a positive window"),
                    ("negative", "A normal hepatorenal interface: a negative window"),
                    ("pleural", "A right pleural effusion above the diaphragm"),
                    ("cyst", "A renal cyst"),
                ],
                "positive",
                ["findings", "interpretation"],
                "The black stripe between the liver and the kidney, thickest at the liver's "
                "lower tip, is free fluid in Morison's pouch. Normally the liver capsule "
                "lies directly on the bright perirenal fat. The diaphragm is a bright curve "
                "on the left with the mirror image of the liver above it: no pleural fluid.",
            ),
            hotspot(
                "q-ruq-fluid",
                "Click on the free fluid.",
                "ruq",
                [fluid_region, kidney_region],
                ["free-fluid"],
                ["anatomy", "interpretation"],
                "Fluid collects in the most dependent part of the hepatorenal space, between "
                "Glisson's capsule and the kidney's upper surface, and first at the liver's "
                "inferior tip: look there and scan through the whole space, down to the "
                "lower pole. The kidney itself (cortex, dark pyramids, bright sinus) is not "
                "fluid.",
            ),
        ],
    )

    kp_luq = KeyPoint(
        "kp-luq-chest",
        "Left upper quadrant and left chest",
        prompt="The left upper quadrant (probe further back and higher than on the right) "
        "and the left anterior chest.",
        layout="together",
        media=[luq, chest],
        items=[
            hotspot(
                "q-spleen",
                "In the left upper quadrant image, click on the spleen.",
                "luq",
                [spleen_region, lk_region],
                ["spleen"],
                ["anatomy", "acquisition"],
                "The spleen is the homogeneous organ under the diaphragm, above and in "
                "front of the left kidney. The left upper quadrant view is taken more "
                "posteriorly and higher than the right (posterior axillary line): "
                "'knuckles to the bed'. Fluid collects first between the diaphragm and the "
                "spleen, then in the splenorenal space.",
            ),
            single(
                "q-luq-chest",
                "What do these two views show?",
                [
                    (
                        "neg-sliding",
                        "No free fluid in the left upper quadrant; lung sliding on the left chest",
                    ),
                    ("pos-sliding", "Free fluid around the spleen; lung sliding"),
                    ("neg-ptx", "No free fluid; no lung sliding, suggesting a pneumothorax"),
                    ("haemothorax", "A left haemothorax above the diaphragm"),
                ],
                "neg-sliding",
                ["findings", "interpretation"],
                "The spleen meets the diaphragm and the kidney without an anechoic stripe. "
                "On the chest the pleural line shimmers: lung sliding rules out a "
                "pneumothorax under the probe. One negative window does not make the FAST "
                "negative: the hepatorenal space is already positive.",
            ),
        ],
    )

    kp_unstable = KeyPoint(
        "kp-unstable",
        "No response to blood",
        clinical_info={"vitals": vitals_1, "labs": labs_1},
        items=[
            single(
                "q-disposition",
                "What is the next step?",
                [
                    ("theatre", "Straight to the operating theatre for laparotomy"),
                    ("ct", "CT of the abdomen to find the injured organ first"),
                    ("repeat", "Repeat the FAST in 30 minutes"),
                    ("dpl", "Diagnostic peritoneal lavage to confirm the FAST"),
                ],
                "theatre",
                ["pathologies", "mdm"],
                "A positive FAST in a patient who stays hypotensive despite blood is an "
                "indication for laparotomy without CT: the scanner is no place for an "
                "unstable patient. CT is the normal next step only when the patient is "
                "stable (or responds to resuscitation). Repeating the FAST or a lavage "
                "delays the treatment without changing it. This is where his condition "
                "requires leaving the normal path.",
            ),
        ],
        branches=[branch("theatre", item="q-disposition", equals="theatre")],
    )

    kp_limits = KeyPoint(
        "kp-limits",
        "What the scan could not tell",
        prompt="On the way to theatre the surgeon asks about your scan.",
        items=[
            single(
                "q-source",
                "From the FAST, which organ is bleeding?",
                [("liver", "The liver"), ("kidney", "The right kidney"), ("spleen", "The spleen")],
                "not_possible",
                ["limits", "mdm"],
                "FAST finds fluid, not its source. Blood from the liver, spleen, mesentery "
                "or bowel runs to the dependent spaces, and fluid in Morison's pouch can come "
                "from anywhere in the abdomen. The source is found at laparotomy (or on CT "
                "in a stable patient).",
                not_possible=True,
            ),
            multiple(
                "q-negative-fast",
                "Which injuries can a negative FAST not exclude? Select all that apply.",
                [
                    ("retro", "Retroperitoneal haemorrhage (pelvic fracture, kidney)"),
                    ("hollow", "Hollow viscus (bowel) injury"),
                    ("diaphragm", "A diaphragmatic tear"),
                    ("litre", "A litre of blood in the peritoneum"),
                    ("tamponade", "Haemopericardium with tamponade"),
                ],
                ["retro", "hollow", "diaphragm"],
                ["limits", "interpretation"],
                "FAST looks for free intraperitoneal and pericardial fluid. The "
                "retroperitoneum, bowel injuries with little fluid and diaphragmatic tears "
                "are its blind spots. A litre of intraperitoneal blood, or a haemopericardium "
                "large enough to cause tamponade, should not be missed by a complete scan "
                "(early, small volumes can be, which is why the scan is repeated).",
                scoring="all_or_nothing",
            ),
        ],
    )

    arrival = Segment(
        "arrival",
        "Motorcyclist with abdominal pain: arrival",
        [
            "The trauma team receives Mr Tomás Silva, a 28 year old motorcyclist who hit a "
            "car at about sixty kilometres an hour.",
            "He is pale, sweaty and complains of pain across his upper abdomen.",
            "His airway is clear and breath sounds are present on both sides.",
            "His heart rate is 124, blood pressure 92 over 58, respiratory rate 26, and his "
            "Glasgow coma score is 14.",
            "His pelvis is stable, and the lactate is 4.1.",
            "Blood is being prepared, and you are asked to perform an extended FAST.",
            kp_plan,
            "You start with the subxiphoid view: there is no pericardial fluid.",
        ],
        next="fast",
        poster="media/patient.png",
    )

    fast = Segment(
        "fast",
        "Extended FAST",
        [
            "You move the curvilinear probe to the right mid-axillary line, marker towards the "
            "head.",
            kp_ruq,
            "Next you scan the left upper quadrant and then both sides of the chest.",
            kp_luq,
            "The pelvic view shows no fluid behind the bladder.",
            "Two units of red cells are given through the rapid infuser.",
            "His heart rate rises to 142 and his blood pressure falls to 74 over 40.",
            kp_unstable,
            "You arrange a CT scan of his abdomen.",
        ],
        next="ct",
        poster="media/patient.png",
    )

    ct = Segment(
        "ct",
        "The CT scanner",
        [
            "On the CT table his systolic pressure falls to 58.",
            "The scan is abandoned, and the team rushes him back to the resuscitation room.",
            "He needs four more units of blood before the surgeons take him to theatre.",
            "Remember: an unstable patient with a positive FAST goes to theatre, not to CT.",
        ],
        next="theatre",
        poster="media/patient.png",
    )

    theatre = Segment(
        "theatre",
        "To the operating theatre",
        [
            "Mr Silva is taken to the operating theatre for a laparotomy.",
            kp_limits,
            "At laparotomy the surgeons find a deep laceration of the right lobe of the liver "
            "and two litres of blood.",
            "The liver is packed, and he is transferred to intensive care.",
        ],
        poster="media/patient.png",
    )

    segments = [arrival, fast, ct, theatre]
    return assemble(
        ID,
        "tools/make_media/library/efast_trauma.py",
        segments,
        title="Motorcyclist with abdominal pain and hypotension",
        clinical_area="trauma",
        time_limit_minutes=20,
        cut_score=70,
        show_results=True,
        summary="A hypotensive motorcyclist after a collision. Perform and interpret an "
        "extended FAST, and decide what to do when he does not respond to blood.",
    )
