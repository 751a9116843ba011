"""Lung: traumatic pneumothorax that becomes a tension pneumothorax.

Teaches: where to look in a supine patient, lung sliding, A-lines, seashore vs barcode sign,
the lung point, that absent sliding alone is not diagnostic, B-lines after re-expansion, and
leaving the scan for decompression when the patient crashes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from .. import render
from ..bmode import BMode, Probe, fit_display
from ..casedef import Case, KeyPoint, Segment
from ..items import branch, hotspot, multiple, polygon, single
from ..numerics import FloatOrArray
from ..poster import write_poster
from ..scenes.lung import LungScene
from . import assemble

ID = "lung-pneumothorax"
BREATH_S = 2.4  # one breath = one loop: 60 frames at 25 fps


def lung_probe() -> Probe:
    return Probe(
        "linear",
        depth_mm=45,
        width_mm=40,
        lines=256,
        samples=640,
        axial_res_mm=0.12,
        lateral_res_mm=0.3,
        tgc_db_per_mm=0.4,
    )


def _band_polygon(
    bm: BMode, depth_of_x: Callable[[float], FloatOrArray], x0: float, x1: float, half: float
) -> list[tuple[float, float]]:
    """A polygon hugging a horizontal structure whose depth varies with x (mm)."""
    xs = np.linspace(x0, x1, 4)
    top = [bm.display.to_px(float(x), float(depth_of_x(x)) - half) for x in xs]
    bottom = [bm.display.to_px(float(x), float(depth_of_x(x)) + half) for x in xs[::-1]]
    return top + bottom


def case(root: Path) -> Case:
    folder = root / ID
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    probe = lung_probe()
    disp = fit_display(probe)

    write_poster(
        media / "patient.png",
        "Emergency department · simulated patient",
        "Daniel Reyes, 34",
        [
            "Male, cyclist, fell onto left side",
            "Left chest pain, short of breath",
            "Arrived by ambulance 40 min after injury",
        ],
        "Synthetic case: names and images are simulated",
    )

    ptx = LungScene(sliding=False, breath_period_s=BREATH_S, seed=11)
    normal = LungScene(breath_period_s=BREATH_S, seed=12)
    point = LungScene(
        lung_point_mm=-1.0, lung_point_swing_mm=5.0, breath_period_s=BREATH_S, seed=13
    )
    reexp = LungScene(b_lines=(-5.5, 3.0), breath_period_s=BREATH_S, seed=14)

    bm_left = BMode(probe, disp, seed=101)
    left = render.clip(
        folder,
        "media/left_anterior.mp4",
        bm_left,
        ptx,
        "left-anterior",
        "Left anterior chest, 2nd intercostal space, mid-clavicular line",
        BREATH_S,
        with_size=True,
        description=(
            "Longitudinal B-mode clip of the left anterior chest, 2nd intercostal space, linear "
            "probe; two rib shadows with the pleural line between them in the upper third"
        ),
    )
    right = render.clip(
        folder,
        "media/right_anterior.mp4",
        BMode(probe, disp, seed=102),
        normal,
        "right-anterior",
        "Right anterior chest, 2nd intercostal space, mid-clavicular line",
        BREATH_S,
        description=(
            "Longitudinal B-mode clip of the right anterior chest, 2nd intercostal space, linear "
            "probe; two rib shadows with the pleural line between them in the upper third"
        ),
    )
    strip_a, _ = render.mmode(
        folder,
        "media/mmode_a.png",
        BMode(probe, disp, seed=101),
        ptx,
        "strip-a",
        "Strip A",
        at=1.5,
        description=(
            "M-mode strip along a cursor through the chest wall and the pleural line of one side "
            "of the chest; time runs from left to right"
        ),
    )
    strip_b, _ = render.mmode(
        folder,
        "media/mmode_b.png",
        BMode(probe, disp, seed=102),
        normal,
        "strip-b",
        "Strip B",
        at=1.5,
        description=(
            "M-mode strip along a cursor through the chest wall and the pleural line of the other "
            "side of the chest; time runs from left to right"
        ),
    )
    bm_point = BMode(probe, disp, seed=103)
    lung_point = render.clip(
        folder,
        "media/lung_point.mp4",
        bm_point,
        point,
        "lateral",
        "Left chest, anterior axillary line, 4th intercostal space",
        BREATH_S,
        with_size=True,
        description=(
            "Longitudinal B-mode clip of the left chest, anterior axillary line, 4th intercostal "
            "space, linear probe; the pleural line across the upper third"
        ),
    )
    after = render.clip(
        folder,
        "media/after_drain.mp4",
        BMode(probe, disp, seed=104),
        reexp,
        "after-drain",
        "Left anterior chest after the chest drain",
        BREATH_S,
        description=(
            "Longitudinal B-mode clip of the left anterior chest after the chest drain, linear "
            "probe; rib shadows with the pleural line between them in the upper third"
        ),
    )

    # hotspot regions from the scene geometry (image pixels)
    a1 = polygon(
        "a-line-1", _band_polygon(bm_left, lambda x: 2 * ptx.pleura_depth(x), -9.5, 9.5, 1.4)
    )
    a2 = polygon(
        "a-line-2", _band_polygon(bm_left, lambda x: 3 * ptx.pleura_depth(x), -9.5, 9.5, 1.6)
    )
    pleura = polygon("pleural-line", _band_polygon(bm_left, ptx.pleura_depth, -9.5, 9.5, 1.0))
    lp_zone = polygon(
        "lung-point", _band_polygon(bm_point, lambda x: point.pleura_depth(x) + 1.5, -7.5, 5.5, 4.0)
    )
    lp_rib = polygon("rib-shadow", _band_polygon(bm_point, lambda x: 20.0 + 0 * x, 11.5, 19.0, 8.0))

    vitals_0 = {
        "HR": "108/min",
        "BP": "128/76 mmHg",
        "RR": "24/min",
        "SpO2": "93 % (air)",
        "Temp": "36.8 °C",
    }
    vitals_1 = {"HR": "132/min", "BP": "84/50 mmHg", "RR": "34/min", "SpO2": "85 % (15 L/min O2)"}

    kp_before = KeyPoint(
        "kp-before-scan",
        "Before you scan",
        prompt="Mr Reyes is lying supine on the trolley with a collar on.",
        items=[
            single(
                "q-first-site",
                "He is supine. Where do you place the probe first to look for a pneumothorax?",
                [
                    (
                        "anterior",
                        "Anterior chest, 2nd to 4th intercostal spaces, mid-clavicular line",
                    ),
                    ("plaps", "Posterolateral chest above the diaphragm (PLAPS point)"),
                    ("subxiphoid", "Subxiphoid, aiming at the heart"),
                    ("flank", "Mid-axillary line at the costophrenic angle"),
                ],
                "anterior",
                ["views", "indication", "acquisition"],
                "In a supine patient free pleural air rises to the least dependent part of the "
                "chest: the anterior chest wall around the mid-clavicular line (the upper BLUE "
                "point). Start there, then move laterally and down to look for the lung point. "
                "The PLAPS point and the costophrenic angle are where fluid and consolidation "
                "collect, because they are dependent.",
            ),
            multiple(
                "q-settings",
                "Which two choices help most to show lung sliding?",
                [
                    (
                        "linear",
                        "High-frequency linear probe, depth about 4-6 cm, focus at the "
                        "pleural line",
                    ),
                    (
                        "bat",
                        "Probe longitudinal across two ribs, so that the pleural line is seen "
                        "between the rib shadows",
                    ),
                    ("filters", "Tissue harmonics and the strongest speckle-reduction filter"),
                    ("deep", "Depth 20 cm, so that the whole hemithorax is in view"),
                ],
                ["linear", "bat"],
                ["artifacts", "acquisition"],
                "Lung sliding is a small, superficial movement: a high-frequency probe at "
                "shallow depth with the focus on the pleura shows it best. A longitudinal plane "
                "across two ribs gives the 'bat sign': the bright line about half a centimetre "
                "below the rib surfaces is the pleura, not a fascial plane. Filters that "
                "suppress speckle and artifacts remove exactly the artifacts you need, and at "
                "20 cm the pleura is a thin line at the top of the screen.",
                scoring="partial",
                select=2,
            ),
        ],
    )

    kp_anterior = KeyPoint(
        "kp-anterior",
        "Anterior chest, both sides",
        prompt="Left and right anterior chest, same intercostal space, probe longitudinal.",
        layout="together",
        media=[left, right],
        clinical_info={"vitals": vitals_0},
        items=[
            single(
                "q-sliding",
                "What do the two clips show?",
                [
                    ("left-none", "Left: no lung sliding, A-lines. Right: lung sliding, A-lines"),
                    ("left-b", "Left: lung sliding with B-lines. Right: no lung sliding"),
                    ("both", "Both sides: lung sliding with A-lines"),
                    ("effusion", "Left: pleural effusion. Right: normal"),
                ],
                "left-none",
                ["findings", "interpretation"],
                "On the right the pleural line shimmers as the visceral pleura slides along the "
                "parietal pleura with each breath, and the texture beneath it moves. On the left "
                "the pleural line is bright but still. A-lines are present on both sides: they "
                "are seen with normal lung and with pneumothorax, so they do not separate the "
                "two. The finding that matters is the absent sliding on the left.",
            ),
            hotspot(
                "q-a-line",
                "In the left-side clip, click on an A-line.",
                "left-anterior",
                [a1, a2, pleura],
                ["a-line-1", "a-line-2"],
                ["artifacts", "interpretation"],
                "A-lines are horizontal bright lines below the pleural line, repeated at exact "
                "multiples of the skin-to-pleura distance: reverberations between the probe and "
                "a strong reflector (air). The first lies at twice the depth of the pleural "
                "line. They are artifacts, not anatomy; the pleural line itself is not an "
                "A-line.",
            ),
            single(
                "q-diagnosis-now",
                "With only these two clips, what is the diagnosis on the left?",
                [
                    ("ptx", "Pneumothorax is confirmed"),
                    ("normal", "Normal lung: A-lines are the normal pattern"),
                    ("interstitial", "Interstitial syndrome"),
                ],
                "not_possible",
                ["limits", "mdm"],
                "Absent sliding with A-lines is sensitive for pneumothorax but not specific: "
                "pleural adhesions, a mainstem intubation, apnoea, large bullae or severe "
                "inflammation also abolish sliding. Sliding (or B-lines) rules pneumothorax "
                "out under the probe; its absence only raises the question. To confirm it you "
                "need the lung point, so keep scanning before you commit.",
                not_possible=True,
            ),
        ],
    )

    kp_mmode = KeyPoint(
        "kp-mmode",
        "M-mode across the pleural line",
        prompt="One strip from each side; which is which is not shown.",
        layout="together",
        media=[strip_a, strip_b],
        items=[
            single(
                "q-mmode-sign",
                "Which statement about the two M-mode strips is correct?",
                [
                    (
                        "a-barcode",
                        "Strip A shows the barcode (stratosphere) sign; strip B the seashore sign",
                    ),
                    ("a-seashore", "Strip A shows the seashore sign; strip B the barcode sign"),
                    ("both-seashore", "Both strips show the seashore sign"),
                    ("sinusoid", "Strip A shows the sinusoid sign of a pleural effusion"),
                ],
                "a-barcode",
                ["artifacts", "interpretation"],
                "M-mode plots one scan line against time. Above the pleural line the still "
                "chest wall draws horizontal lines (the 'waves') in both strips. With sliding, "
                "the lung below the pleura gives a granular 'sand' texture: the seashore sign "
                "(strip B). Without sliding everything below the pleura is horizontal lines "
                "too: the barcode or stratosphere sign (strip A). The sinusoid sign is lung "
                "moving towards the probe within a pleural effusion.",
            ),
            multiple(
                "q-barcode-means",
                "Which statements about the barcode sign are true? Select all that apply.",
                [
                    ("no-motion", "It means no movement of the pleura along the M-mode line"),
                    ("apnoea", "It is also seen with apnoea or a mainstem intubation"),
                    ("equivalent", "It is the M-mode equivalent of absent lung sliding"),
                    ("collapse", "It proves that the lung has collapsed completely"),
                    ("doppler", "It needs colour Doppler to be seen"),
                ],
                ["no-motion", "apnoea", "equivalent"],
                ["artifacts", "interpretation"],
                "The barcode sign documents, on a still image, what absent sliding shows in "
                "real time: nothing moves below the pleural line. It shares the same limits: "
                "anything that stops the visceral pleura moving (apnoea, mainstem intubation, "
                "adhesions) produces it. It says nothing about how much the lung has "
                "collapsed, and it is plain M-mode: no Doppler is involved.",
                scoring="all_or_nothing",
            ),
        ],
    )

    kp_point = KeyPoint(
        "kp-lung-point",
        "Left lateral chest",
        prompt="You slide the probe laterally along the left chest, following the pleura.",
        media=[lung_point],
        items=[
            hotspot(
                "q-lung-point-where",
                "Click on the place on the pleural line where the pattern changes.",
                "lateral",
                [lp_zone, lp_rib],
                ["lung-point"],
                ["findings", "interpretation"],
                "The lung point is where the partly collapsed lung touches the chest wall "
                "again: on one side of it the pleura shimmers and the texture below moves; on "
                "the other side the pleura of the pneumothorax is still. The border moves "
                "across the screen with breathing, towards the air side on inspiration.",
            ),
            single(
                "q-lung-point-means",
                "What does this finding mean?",
                [
                    (
                        "confirms",
                        "It confirms a pneumothorax; the further lateral it lies, the "
                        "larger the pneumothorax",
                    ),
                    ("effusion", "It is the meniscus of a small pleural effusion"),
                    ("variant", "It is a normal variant at the anterior axillary line"),
                    ("excludes", "It excludes a pneumothorax"),
                ],
                "confirms",
                ["pathologies", "mdm"],
                "The lung point is the only sonographic sign that confirms pneumothorax with a "
                "specificity close to 100 %. Its position gives a rough idea of size: anterior "
                "points mean small, lateral or posterior points large pneumothoraces. A "
                "complete collapse has no lung point at all.",
            ),
        ],
    )

    kp_crash = KeyPoint(
        "kp-deterioration",
        "The patient deteriorates",
        prompt="Agitated, distended neck veins, trachea deviated to the right.",
        clinical_info={"vitals": vitals_1},
        items=[
            single(
                "q-next-step",
                "What do you do now?",
                [
                    (
                        "decompress",
                        "Decompress the left chest now (finger thoracostomy or "
                        "needle), then insert a chest drain",
                    ),
                    ("ct", "CT of the chest to measure the pneumothorax first"),
                    ("xray", "Wait for the chest radiograph before any procedure"),
                    ("intubate", "Intubate and ventilate first, then decompress"),
                ],
                "decompress",
                ["pathologies", "mdm"],
                "Hypotension, hypoxia, distended neck veins and tracheal deviation in a patient "
                "with a confirmed pneumothorax is a tension pneumothorax: obstructive shock "
                "that kills in minutes. It is a clinical diagnosis and decompression must not "
                "wait for imaging; the rest of the scan can wait. Positive-pressure ventilation "
                "before decompression raises the pressure in the chest further and can "
                "precipitate cardiac arrest.",
            ),
        ],
        branches=[branch("decompression", item="q-next-step", equals="decompress")],
    )

    kp_after = KeyPoint(
        "kp-after-drain",
        "After the chest drain",
        media=[after],
        clinical_info={
            "vitals": {
                "HR": "98/min",
                "BP": "118/72 mmHg",
                "RR": "20/min",
                "SpO2": "96 % (4 L/min O2)",
            }
        },
        items=[
            multiple(
                "q-reexpanded",
                "Which findings in this clip show that the lung touches the chest wall again "
                "under the probe? Select all that apply.",
                [
                    ("sliding", "Lung sliding"),
                    ("b-lines", "B-lines arising from the pleural line"),
                    ("a-lines", "A-lines"),
                    ("ribs", "Rib shadows on both sides"),
                ],
                ["sliding", "b-lines"],
                ["artifacts", "interpretation"],
                "Sliding and B-lines both arise from the visceral pleura, so either one rules "
                "out pneumothorax at that point. B-lines are vertical, laser-like bright lines "
                "from the pleural line to the bottom of the screen that erase the A-lines and "
                "move with sliding; a few are expected here after contusion and re-expansion. "
                "A-lines and rib shadows are seen with or without a pneumothorax.",
                scoring="partial",
            ),
        ],
    )

    history = Segment(
        "history",
        "Shortness of breath after a bicycle fall: history",
        [
            "You are working in the emergency department when paramedics bring in Mr "
            "Daniel Reyes, a 34 year old man.",
            "He came off his bicycle at speed about forty minutes ago and landed on his left side.",
            "He has sharp left-sided chest pain that is worse when he breathes in, and he feels "
            "short of breath.",
            "He is tall and thin, smokes ten cigarettes a day, and has no other medical history.",
            "His heart rate is 108, blood pressure 128 over 76, respiratory rate 24, and oxygen "
            "saturation 93 percent on room air.",
            "His left lower ribs are tender, and in the noisy department you cannot be sure about "
            "his breath sounds.",
            "A portable chest radiograph has been requested but will take twenty minutes.",
            "You decide to scan his chest at the bedside.",
            kp_before,
            "You pick up the linear probe.",
        ],
        next="scan",
        poster="media/patient.png",
    )

    scan = Segment(
        "scan",
        "Scanning the chest",
        [
            "You place the probe on the left anterior chest in the second intercostal space, "
            "then on the same place on the right for comparison.",
            kp_anterior,
            "You switch to M-mode and put the cursor across the pleural line between two ribs, "
            "first on one side, then on the other.",
            kp_mmode,
            "You slide the probe laterally along the left chest wall, watching the pleural line.",
            kp_point,
            "As you finish, the nurse calls you over.",
            "Mr Reyes has become agitated and more breathless.",
            "His heart rate is now 132, blood pressure 84 over 50, and oxygen saturation 85 "
            "percent on fifteen litres of oxygen.",
            "His neck veins are distended and his trachea is deviated to the right.",
            kp_crash,
            "You decide to wait for the chest radiograph.",
        ],
        next="delay",
        poster="media/patient.png",
    )

    delay = Segment(
        "delay",
        "Waiting for the radiograph",
        [
            "Three minutes later Mr Reyes loses his radial pulse.",
            "The trauma team performs an immediate finger thoracostomy in the left fifth "
            "intercostal space, just in front of the mid-axillary line.",
            "There is a rush of air, and his pulse returns.",
            "A chest drain is inserted.",
            "Remember: a tension pneumothorax is a clinical diagnosis, and decompression must "
            "not wait for imaging.",
        ],
        next="recovery",
        poster="media/patient.png",
    )

    decompression = Segment(
        "decompression",
        "Decompression",
        [
            "You decompress the left chest at once with a finger thoracostomy in the fifth "
            "intercostal space, just in front of the mid-axillary line.",
            "There is a rush of air, and his blood pressure starts to rise.",
            "A chest drain is inserted and connected to an underwater seal.",
        ],
        next="recovery",
        poster="media/patient.png",
    )

    recovery = Segment(
        "recovery",
        "After the drain",
        [
            "Twenty minutes later his heart rate is 98, blood pressure 118 over 72, and oxygen "
            "saturation 96 percent on four litres.",
            "You scan the left anterior chest again, at the same place as before.",
            kp_after,
            "The chest radiograph confirms the drain in position and the lung re-expanded.",
            "Mr Reyes is admitted to the trauma ward.",
        ],
        poster="media/patient.png",
    )

    segments = [history, scan, delay, decompression, recovery]
    return assemble(
        ID,
        "tools/make_media/library/lung_pneumothorax.py",
        segments,
        title="Chest pain and breathlessness after a bicycle fall",
        clinical_area="lung",
        time_limit_minutes=25,
        cut_score=70,
        show_results=True,
        summary=(
            "A young man with left chest pain after a fall from his bicycle. Scan his chest, "
            "interpret lung sliding, A-lines and M-mode, find the lung point, and act when he "
            "deteriorates."
        ),
    )
