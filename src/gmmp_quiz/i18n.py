"""Interface strings in French and English, and the choice of the interface language."""

from __future__ import annotations

import locale
import os
import re
from datetime import datetime

LANGS = ("fr", "en")

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"fr": "gmmp-quiz", "en": "gmmp-quiz"},
    "sets": {"fr": "Séries de questions", "en": "Question sets"},
    "no_sets": {"fr": "Aucune série trouvée.", "en": "No question sets found."},
    "questions_n": {"fr": "{n} questions", "en": "{n} questions"},
    "question_one": {"fr": "1 question", "en": "1 question"},
    "mastered": {"fr": "maîtrisées", "en": "mastered"},
    "due": {"fr": "à revoir", "en": "due"},
    "missed": {"fr": "manquées", "en": "missed"},
    "source": {"fr": "Source", "en": "Source"},
    "mode_quiz": {"fr": "Quiz", "en": "Quiz"},
    "mode_due": {"fr": "Révision du jour", "en": "Review due"},
    "mode_missed": {"fr": "Reprendre les erreurs", "en": "Retry missed"},
    "count_10": {"fr": "10 questions", "en": "10 questions"},
    "count_20": {"fr": "20 questions", "en": "20 questions"},
    "count_all": {"fr": "Toutes", "en": "All"},
    "start": {"fr": "Commencer", "en": "Start"},
    "help": {"fr": "Aide", "en": "Help"},
    "close": {"fr": "Fermer", "en": "Close"},
    "quit": {"fr": "Quitter", "en": "Quit"},
    "skip": {"fr": "Passer", "en": "Skip"},
    "multi_none": {
        "fr": "Cochez au moins une réponse, ou passez la question.",
        "en": "Tick at least one answer, or skip the question.",
    },
    "leave": {"fr": "Quitter", "en": "Leave"},
    "submit": {"fr": "Valider", "en": "Submit"},
    "next": {"fr": "Suivante", "en": "Next"},
    "flip": {"fr": "Retourner", "en": "Flip"},
    "i_was_right": {"fr": "J'avais raison", "en": "I was right"},
    "undo": {"fr": "Annuler", "en": "Undo"},
    "move_up": {"fr": "Monter", "en": "Move up"},
    "move_down": {"fr": "Descendre", "en": "Move down"},
    "score": {"fr": "Score", "en": "Score"},
    "right": {"fr": "✓ Correct", "en": "✓ Right"},
    "partial": {"fr": "≈ En partie correct", "en": "≈ Partly right"},
    "wrong": {"fr": "✗ Incorrect", "en": "✗ Wrong"},
    "skipped": {"fr": "Passée", "en": "Skipped"},
    "skipped_n": {"fr": "Passées", "en": "Skipped"},
    "your_answer": {"fr": "Votre réponse", "en": "Your answer"},
    "right_answer": {"fr": "Bonne réponse", "en": "Right answer"},
    "typo": {"fr": "Accepté malgré une faute de frappe", "en": "Accepted with a typo"},
    "overridden": {
        "fr": "Enregistrée comme juste (« j'avais raison »).",
        "en": "Recorded as right (“I was right”).",
    },
    "undone": {
        "fr": "Réponse annulée : la question est reposée.",
        "en": "Answer undone: asked again.",
    },
    "explanation": {"fr": "Explication", "en": "Explanation"},
    # Context the set's source does not give, kept apart from what the source says.
    "background": {"fr": "Pour aller plus loin", "en": "Good to know"},
    "again_later": {
        "fr": "Cette question reviendra plus tard.",
        "en": "This question will come back later.",
    },
    "summary": {"fr": "Bilan", "en": "Summary"},
    "time": {"fr": "Temps", "en": "Time"},
    "by_tag": {"fr": "Par thème", "en": "By topic"},
    "missed_questions": {"fr": "Questions manquées", "en": "Missed questions"},
    "none_missed": {"fr": "Aucune erreur : bravo !", "en": "Nothing missed: well done!"},
    "retry_missed": {"fr": "Reprendre les erreurs", "en": "Retry missed"},
    "home": {"fr": "Accueil", "en": "Home"},
    "confirm_leave": {
        "fr": "Quitter ce quiz ? Les réponses données sont enregistrées.",
        "en": "Leave this quiz? The answers given are saved.",
    },
    "yes": {"fr": "Oui", "en": "Yes"},
    "no": {"fr": "Non", "en": "No"},
    "true": {"fr": "Vrai", "en": "True"},
    "false": {"fr": "Faux", "en": "False"},
    "again": {"fr": "À revoir", "en": "Again"},
    "hard": {"fr": "Difficile", "en": "Hard"},
    "good": {"fr": "Bien", "en": "Good"},
    "easy": {"fr": "Facile", "en": "Easy"},
    "rate_hint": {"fr": "Notez-vous : 1-4", "en": "Rate yourself: 1-4"},
    "flip_hint": {"fr": "Espace pour retourner la carte", "en": "Space flips the card"},
    "type_answer": {"fr": "Tapez votre réponse", "en": "Type your answer"},
    "fill_gaps": {"fr": "Complétez les trous.", "en": "Fill in the gaps."},
    "type_number": {"fr": "Tapez un nombre", "en": "Type a number"},
    "gap": {"fr": "Trou {n}", "en": "Gap {n}"},
    "order_hint": {
        "fr": "↑/↓ choisir, Maj+↑/↓ ou k/j déplacer, Entrée valider",
        "en": "↑/↓ select, Shift+↑/↓ or k/j move, Enter submits",
    },
    "match_hint": {
        "fr": "Un chiffre choisit à gauche, une lettre à droite ; Entrée valide",
        "en": "A digit picks on the left, a letter on the right; Enter submits",
    },
    "multi_hint": {
        "fr": "Chiffres ou Espace pour cocher, Entrée pour valider",
        "en": "Digits or Space toggle, Enter submits",
    },
    "choice_hint": {"fr": "Un chiffre ou Entrée pour répondre", "en": "A digit or Enter answers"},
    "tf_hint": {"fr": "v/t = vrai, f = faux (ou 1/2)", "en": "t = true, f = false (or 1/2)"},
    "continue_hint": {"fr": "Entrée ou Espace : continuer", "en": "Enter or Space: continue"},
    # The quiz loop: every key deliberate, feedback marked part by part.
    "choose_first": {
        "fr": "Choisissez d'abord : un chiffre, ou ↑/↓ puis Entrée.",
        "en": "Choose first: a digit, or ↑/↓ then Enter.",
    },
    "order_untouched": {
        "fr": "Remettez d'abord les éléments dans l'ordre (Maj+↑/↓ ou k/j), puis Entrée.",
        "en": "Put the items in order first (Shift+↑/↓ or k/j), then Enter.",
    },
    "match_none": {
        "fr": "Formez au moins une paire (un chiffre puis une lettre), ou passez la question.",
        "en": "Make at least one pair (a digit, then a letter), or skip the question.",
    },
    "tick": {"fr": "Cocher", "en": "Tick"},
    "one_of": {"fr": "au choix", "en": "one of"},
    "rate": {"fr": "Noter", "en": "Rate"},
    "more": {"fr": "Suite", "en": "More"},
    "more_below": {
        "fr": "↓ La suite plus bas : PgSuiv ou ↓",
        "en": "↓ More below: PgDn or ↓",
    },
    "rated": {"fr": "Votre note", "en": "Your rating"},
    "your_order": {"fr": "Votre ordre", "en": "Your order"},
    "your_pairs": {"fr": "Vos paires", "en": "Your pairs"},
    "your_gaps": {"fr": "Vos trous", "en": "Your gaps"},
    "should_be": {"fr": "attendu", "en": "should be"},
    "ticked_wrong": {"fr": "cochée à tort", "en": "ticked, wrong"},
    "not_ticked": {"fr": "oubliée", "en": "missed"},
    "score_means": {
        "fr": "(moyenne des réponses, le partiel compte en partie)",
        "en": "(mean of your answers, partly right counts in part)",
    },
    "first_try": {"fr": "Justes du premier coup", "en": "Right at the first try"},
    "n_of_total": {"fr": "{n} sur {total}", "en": "{n} of {total}"},
    "relearned": {
        "fr": "Manquées d'abord, justes ensuite : {n}",
        "en": "Missed at first, right later: {n}",
    },
    "missed_means": {
        "fr": "(dernière réponse pas juste)",
        "en": "(latest answer not right)",
    },
    "mastered_means": {
        "fr": "Maîtrisée : juste, et la répétition espacée compte que vous vous en souviendrez "
        "trois semaines ou plus. Il faut des réponses justes sur plusieurs jours.",
        "en": "Mastered: right, and spaced repetition expects you to remember it for three weeks "
        "or more. It takes right answers spread over several days.",
    },
    "learning_n": {"fr": "{n} en cours", "en": "{n} learning"},
    "rate_hint_flipped": {
        "fr": "Notez-vous : 1 à revoir · 2 difficile · 3 bien · 4 facile",
        "en": "Rate yourself: 1 again · 2 hard · 3 good · 4 easy",
    },
    "verdict_again": {"fr": "↺ À revoir", "en": "↺ Again"},
    "verdict_hard": {"fr": "✓ Difficile", "en": "✓ Hard"},
    "verdict_good": {"fr": "✓ Bien", "en": "✓ Good"},
    "verdict_easy": {"fr": "✓ Facile", "en": "✓ Easy"},
    "nothing_due": {"fr": "Rien à revoir pour l'instant.", "en": "Nothing is due right now."},
    "nothing_missed": {"fr": "Aucune erreur à reprendre.", "en": "No missed questions to retry."},
    "invalid_sets": {"fr": "Fichiers invalides", "en": "Invalid files"},
    "theme": {"fr": "Thème clair/sombre", "en": "Light/dark theme"},
    "question_n": {"fr": "Question {n}/{total}", "en": "Question {n}/{total}"},
    "help_title": {"fr": "Aide : touches et modes", "en": "Help: keys and modes"},
    "store_error": {"fr": "Réponse non enregistrée", "en": "Answer not saved"},
    "pairs": {"fr": "Paires", "en": "Pairs"},
    "not_answered": {"fr": "(sans réponse)", "en": "(no answer)"},
    "stats": {"fr": "Stats", "en": "Stats"},
    "requeue_off": {
        "fr": "Ne plus reposer les erreurs dans la séance",
        "en": "Stop asking missed questions again in a session",
    },
    "requeue_on": {
        "fr": "Reposer les erreurs plus tard dans la séance",
        "en": "Ask missed questions again later in a session",
    },
    "requeue_help": {
        "fr": "Réglage : une question manquée revient jusqu'à être juste",
        "en": "Setting: a missed question comes back until answered right",
    },
    "requeue_is_on": {
        "fr": "Les erreurs reviendront plus tard dans la séance.",
        "en": "Missed questions will come back later in the session.",
    },
    "requeue_is_off": {
        "fr": "Les erreurs ne reviendront plus dans la séance.",
        "en": "Missed questions will not come back in the session.",
    },
    "new_n": {"fr": "{n} nouv.", "en": "{n} new"},
    "next_due": {"fr": "Prochaine révision", "en": "Next review"},
    "missed_one": {"fr": "manquée", "en": "missed"},
    "all_sets": {"fr": "toutes les séries", "en": "all sets"},
    "loading_sets": {"fr": "Chargement de vos séries…", "en": "Loading your sets…"},
    "missed_screen": {"fr": "Erreurs", "en": "Missed"},
    "add_sets": {"fr": "Ajouter", "en": "Add sets"},
    "reload": {"fr": "Recharger", "en": "Reload"},
    "reloaded": {"fr": "{n} séries chargées.", "en": "{n} sets loaded."},
    "count": {"fr": "Nombre", "en": "Count"},
    "mode": {"fr": "Mode", "en": "Mode"},
    # Missed screen and `gmmp-quiz review`.
    "retry_all": {"fr": "Tout reprendre", "en": "Retry all"},
    "retry_one": {"fr": "Reprendre", "en": "Retry"},
    "mark_known": {"fr": "Je la sais", "en": "Mark known"},
    "filter": {"fr": "Filtre", "en": "Filter"},
    "search": {"fr": "Chercher", "en": "Search"},
    "search_missed": {
        "fr": "Chercher dans les erreurs (/)",
        "en": "Search the missed questions (/)",
    },
    "filter_all": {"fr": "Toutes les séries", "en": "All sets"},
    "filter_set": {"fr": "Série : {name}", "en": "Set: {name}"},
    "filter_tag": {"fr": "Thème : {name}", "en": "Tag: {name}"},
    "filter_section": {"fr": "Section : {name}", "en": "Section: {name}"},
    "your_answers": {"fr": "Vos réponses", "en": "Your answers"},
    "missed_once": {"fr": "Manquée 1 fois", "en": "Missed once"},
    "missed_n": {"fr": "Manquée {n} fois", "en": "Missed {n} times"},
    "last_on": {"fr": "la dernière le {when}", "en": "last on {when}"},
    "fixed_since": {"fr": "corrigée depuis", "en": "fixed since"},
    "no_missed": {
        "fr": "Aucune question manquée : bravo !",
        "en": "No missed questions: well done!",
    },
    "no_match": {"fr": "Aucune erreur ne correspond.", "en": "No missed question matches."},
    "marked_known": {"fr": "Retirée de la liste des erreurs.", "en": "Taken off the missed list."},
    "missed_total": {"fr": "{n} à reprendre", "en": "{n} to retry"},
    "missed_more": {
        "fr": "… et {n} autres : descendez pour les voir, ou cherchez (/)",
        "en": "… and {n} more: move down to see them, or search (/)",
    },
    "missed_help": {
        "fr": "Revoir, reprendre ou retirer les questions manquées",
        "en": "Review, retry or clear the questions you got wrong",
    },
    # Stats screen.
    "stats_help": {
        "fr": "Réussite, maîtrise, erreurs fréquentes, révisions à venir, jours d'affilée",
        "en": "Accuracy, mastery, most missed, due forecast, streak",
    },
    "answers_n": {"fr": "{n} réponses", "en": "{n} answers"},
    "answers_one": {"fr": "1 réponse", "en": "1 answer"},
    "accuracy": {"fr": "Réussite", "en": "Accuracy"},
    "streak": {"fr": "Jours d'affilée", "en": "Streak"},
    "streak_days": {"fr": "{n} jours d'affilée", "en": "{n} days in a row"},
    "streak_one": {"fr": "1 jour", "en": "1 day"},
    "accuracy_30": {"fr": "Réussite par jour (30 j)", "en": "Accuracy per day (30 days)"},
    "answers_30": {"fr": "Réponses par jour (30 j)", "en": "Answers per day (30 days)"},
    "forecast_14": {"fr": "À revoir (14 prochains jours)", "en": "Due (next 14 days)"},
    "mastery_by_set": {"fr": "Maîtrise par série", "en": "Mastery by set"},
    "mastery_by_tag": {"fr": "Maîtrise par thème", "en": "Mastery by tag"},
    "mastery_by_section": {"fr": "Maîtrise par section", "en": "Mastery by section"},
    "most_missed": {"fr": "Les plus manquées", "en": "Most missed"},
    "no_answers": {
        "fr": "Aucune réponse pour l'instant : faites un quiz d'abord.",
        "en": "No answers yet: take a quiz first.",
    },
    "max_n": {"fr": "max {n}", "en": "max {n}"},
    # Add sets screen and the form to write a question.
    "add_sets_title": {"fr": "Vos séries de questions", "en": "Your question sets"},
    "qf_cancel": {"fr": "Abandonner", "en": "Cancel"},
    "addsets_import": {"fr": "Importer", "en": "Import"},
    "addsets_new": {"fr": "Créer", "en": "New set"},
    "addsets_write": {"fr": "Écrire", "en": "Write a question"},
    "addsets_import_label": {"fr": "Importer", "en": "Import a file"},
    "addsets_import_placeholder": {
        "fr": "chemin d'un fichier GIFT, Anki, CSV/TSV ou Open Trivia DB",
        "en": "path to a GIFT, Anki, CSV/TSV or Open Trivia DB file",
    },
    "addsets_import_placeholder_web": {
        "fr": "chemin d'un fichier sur le serveur (pas sur votre appareil) : GIFT, Anki, CSV…",
        "en": "path to a file on the server (not on your device): GIFT, Anki, CSV…",
    },
    # `gmmp-quiz serve`: the profile picker and a profile open in another tab.
    "profiles_title": {"fr": "Qui apprend ?", "en": "Who is learning?"},
    "profiles_pick": {
        "fr": "Choisissez votre profil (↑/↓, Entrée), ou créez-le :",
        "en": "Pick your profile (↑/↓, Enter), or create it:",
    },
    "profiles_none": {
        "fr": "Aucun profil pour l'instant : créez le vôtre.",
        "en": "No profiles yet: create yours.",
    },
    "profiles_new": {
        "fr": "nouveau profil : lettres, chiffres, . _ -",
        "en": "new profile: letters, digits, . _ -",
    },
    "profiles_bad_name": {
        "fr": "« {name} » ne convient pas : lettres, chiffres, points, tirets ou soulignés "
        "(64 au plus, en commençant par une lettre ou un chiffre).",
        "en": "“{name}” will not do: letters, digits, dots, dashes or underscores "
        "(at most 64, starting with a letter or a digit).",
    },
    "choose_profile": {"fr": "Choisir un profil", "en": "Choose profile"},
    "profile_busy": {
        "fr": "Le profil « {name} » est ouvert dans un autre onglet ou un terminal. "
        "Deux à la fois mêleraient ses progrès : cette page reprend d'elle-même dès qu'il "
        "est fermé.",
        "en": "The profile “{name}” is open in another tab or terminal. Two at once would mix "
        "up its progress: this page carries on by itself as soon as that one is closed.",
    },
    "profile_busy_pick": {
        "fr": "Échap : choisir un autre profil.",
        "en": "Escape: choose another profile.",
    },
    "profile_failed": {
        "fr": "Le profil « {name} » ne peut pas être ouvert : {error}",
        "en": "The profile “{name}” cannot be opened: {error}",
    },
    "addsets_new_label": {"fr": "Créer", "en": "Create"},
    "addsets_new_id": {"fr": "identifiant, ex. capitales", "en": "id, e.g. capitals"},
    "addsets_new_title": {"fr": "titre (facultatif)", "en": "title (optional)"},
    "addsets_problems_n": {"fr": "{n} problème(s)", "en": "{n} problem(s)"},
    "addsets_none": {
        "fr": "Aucune série à vous : importez un fichier (i) ou créez une série (n).",
        "en": "No sets of your own yet: import a file (i) or create a set (n).",
    },
    "addsets_help": {
        "fr": "Importez un fichier (i) ou créez une série (n).",
        "en": "Import a file (i) or create a set (n).",
    },
    "addsets_one_question": {"fr": "1 question", "en": "1 question"},
    "addsets_valid": {"fr": "valide", "en": "valid"},
    "addsets_write_hint": {
        "fr": "w ou Entrée : écrire une nouvelle question dans cette série.",
        "en": "w or Enter: write a new question into this set.",
    },
    "addsets_pick_valid": {
        "fr": "Choisissez une de vos séries valides pour y écrire une question.",
        "en": "Choose one of your valid sets to write a question into.",
    },
    "addsets_import_failed": {
        "fr": "Rien n'a été importé de {path} :",
        "en": "Nothing imported from {path}:",
    },
    "addsets_id_used": {
        "fr": "L'identifiant « {id} » est déjà pris par {path} : rien n'a été écrit.",
        "en": "The set id “{id}” is already used by {path}: nothing written.",
    },
    "addsets_cannot_write": {"fr": "Écriture impossible : {error}", "en": "Cannot write: {error}"},
    "addsets_imported": {
        "fr": "{n} questions importées, {skipped} ignorées ({fmt}) : {path}",
        "en": "{n} questions imported, {skipped} skipped ({fmt}): {path}",
    },
    "addsets_backed_up": {
        "fr": "Ancien fichier sauvegardé dans {path}",
        "en": "Previous file backed up to {path}",
    },
    "addsets_bad_id": {
        "fr": "« {id} » n'est pas un identifiant valide : lettres, chiffres, - _ . sans espace.",
        "en": "“{id}” is not a valid id: letters, digits, - _ . and no spaces.",
    },
    "addsets_exists": {
        "fr": "{path} existe déjà : rien n'a été écrasé.",
        "en": "{path} already exists: not overwritten.",
    },
    "addsets_created": {
        "fr": "{path} créé, avec un exemple de chaque type : écrivez vos questions (w).",
        "en": "Created {path}, with an example of each type: write your questions (w).",
    },
    "qf_title": {"fr": "Nouvelle question : {set}", "en": "New question: {set}"},
    "qf_save": {"fr": "Enregistrer", "en": "Save"},
    "qf_preview": {"fr": "Aperçu", "en": "Preview"},
    "qf_language": {"fr": "Langue", "en": "Language"},
    "qf_type": {"fr": "Type", "en": "Type"},
    "qf_id": {
        "fr": "Identifiant (facultatif : tiré de la question)",
        "en": "Id (optional: made from the prompt)",
    },
    "qf_prompt": {"fr": "Question", "en": "Prompt"},
    "qf_prompt_optional": {"fr": "Consigne (facultative)", "en": "Instruction (optional)"},
    "qf_front": {"fr": "Recto", "en": "Front of the card"},
    "qf_back": {"fr": "Verso", "en": "Back of the card"},
    "qf_tags": {
        "fr": "Thèmes (séparés par des virgules)",
        "en": "Tags (separated by commas)",
    },
    "qf_choices": {
        "fr": "Choix, un par ligne ; commencez la bonne réponse par *",
        "en": "Choices, one per line; start the right one with *",
    },
    "qf_choices_multi": {
        "fr": "Choix, un par ligne ; commencez chaque bonne réponse par *",
        "en": "Choices, one per line; start each right one with *",
    },
    "qf_truth": {"fr": "L'affirmation est vraie", "en": "The statement is true"},
    "qf_answer": {"fr": "Réponse", "en": "Answer"},
    "qf_alternatives": {
        "fr": "Autres réponses acceptées, séparées par |",
        "en": "Other accepted answers, separated by |",
    },
    "qf_number": {"fr": "Réponse (un nombre)", "en": "Answer (a number)"},
    "qf_tolerance": {
        "fr": "Tolérance (écart accepté, 0 par défaut)",
        "en": "Tolerance (default 0)",
    },
    "qf_unit": {"fr": "Unité (facultative)", "en": "Unit (optional)"},
    "qf_cloze": {
        "fr": "Texte à trous : {{réponse}} ou {{réponse|autre}}",
        "en": "Text with gaps: {{answer}} or {{answer|alternative}}",
    },
    "qf_items": {
        "fr": "Éléments dans le bon ordre, un par ligne",
        "en": "Items in the right order, one per line",
    },
    "qf_pairs": {
        "fr": "Paires, une par ligne : gauche -> droite",
        "en": "Pairs, one per line: left -> right",
    },
    "qf_lang_hint": {
        "fr": "{first} d'abord (la langue de la série) ; {second} est facultatif : laissez-le "
        "vide pour un texte en une seule langue.",
        "en": "{first} first (the set's language); {second} is optional: leave it empty for a "
        "text in one language.",
    },
    "qf_optional": {"fr": "facultatif", "en": "optional"},
    "qf_type_flashcard": {"fr": "Carte recto-verso", "en": "Flashcard"},
    "qf_type_choice": {"fr": "Choix unique", "en": "One right choice"},
    "qf_type_multi": {"fr": "Choix multiple", "en": "Several right choices"},
    "qf_type_true_false": {"fr": "Vrai ou faux", "en": "True or false"},
    "qf_type_short": {"fr": "Réponse courte", "en": "Short typed answer"},
    "qf_type_numeric": {"fr": "Nombre", "en": "Number"},
    "qf_type_cloze": {"fr": "Texte à trous", "en": "Text with gaps"},
    "qf_type_order": {"fr": "Remettre dans l'ordre", "en": "Put in order"},
    "qf_type_match": {"fr": "Associer des paires", "en": "Match pairs"},
    "qf_need": {"fr": "« {field} » est à remplir.", "en": "“{field}” is required."},
    "qf_need_choices": {"fr": "Donnez au moins 2 choix.", "en": "Give at least 2 choices."},
    "qf_need_right": {
        "fr": "Marquez la bonne réponse d'un * (une seule).",
        "en": "Mark the right choice with * (exactly one).",
    },
    "qf_need_rights": {
        "fr": "Marquez au moins une bonne réponse d'un *.",
        "en": "Mark at least one right choice with *.",
    },
    "qf_need_two": {"fr": "« {field} » : au moins 2 lignes.", "en": "“{field}”: at least 2 lines."},
    "qf_lines_mismatch": {
        "fr": "« {field} » : FR et EN doivent avoir le même nombre de lignes.",
        "en": "“{field}”: FR and EN need the same number of lines.",
    },
    "qf_not_number": {"fr": "« {value} » n'est pas un nombre.", "en": "“{value}” is not a number."},
    "qf_pair_arrow": {
        "fr": "Ligne {n} des paires : écrivez gauche -> droite.",
        "en": "Pairs, line {n}: write left -> right.",
    },
    "qf_no_gap": {
        "fr": "Le texte à trous n'a aucun trou {{...}}.",
        "en": "The text has no gap {{...}}.",
    },
    "qf_bad_id": {
        "fr": "« {id} » n'est pas un identifiant valide : lettres, chiffres, - _ .",
        "en": "“{id}” is not a valid id: letters, digits, - _ .",
    },
    "qf_id_taken": {
        "fr": "L'identifiant « {id} » est déjà pris dans cette série.",
        "en": "The id “{id}” is already used in this set.",
    },
    "qf_control_char": {
        "fr": "Un texte contient un caractère de contrôle : retapez-le.",
        "en": "A text holds a control character: type it again.",
    },
    "qf_confirm_cancel": {
        "fr": "Abandonner cette question ? Elle n'a pas été enregistrée.",
        "en": "Discard this question? It has not been saved.",
    },
    "qf_invalid": {
        "fr": "Non enregistrée : la question ne passe pas la validation.",
        "en": "Not saved: the question does not pass validation.",
    },
    "qf_set_invalid": {
        "fr": "Ce fichier a des problèmes : corrigez-les d'abord.",
        "en": "This file has problems: fix them first.",
    },
    "qf_saved": {"fr": "« {id} » enregistrée dans {path}.", "en": "Saved “{id}” into {path}."},
    "qf_redumped": {
        "fr": "Fichier réécrit en entier (commentaires perdus) ; l'ancien est dans {path}.",
        "en": "The file was rewritten whole (comments lost); the old one is in {path}.",
    },
    "qf_preview_title": {
        "fr": "Aperçu : la question telle qu'elle sera posée",
        "en": "Preview: the question as it will be asked",
    },
    # Plain mode (`quiz SET --plain`): hints for typed answers.
    "plain_choice": {"fr": "Tapez un numéro de 1 à {n}", "en": "Type a number from 1 to {n}"},
    "plain_multi": {
        "fr": "Tapez un ou plusieurs numéros de 1 à {n}, par ex. 1 3",
        "en": "Type one or more numbers from 1 to {n}, e.g. 1 3",
    },
    "plain_order": {
        "fr": "Tapez chaque numéro de 1 à {n} une fois, dans le bon ordre, par ex. 3 1 2",
        "en": "Type each number from 1 to {n} once, in the right order, e.g. 3 1 2",
    },
    "plain_match": {
        "fr": "Tapez une lettre pour chaque numéro, par ex. 1b 2a",
        "en": "Type a letter for each number, e.g. 1b 2a",
    },
    "plain_cloze": {
        "fr": "Tapez {n} réponses séparées par « | »",
        "en": "Type {n} answers separated by “|”",
    },
    "plain_skip_hint": {"fr": "s pour passer", "en": "s skips"},
    "plain_flip": {"fr": "Entrée : retourner la carte", "en": "Enter flips the card"},
    "plain_back": {"fr": "Verso", "en": "Back"},
    "plain_skipped_n": {"fr": "Passées : {n}", "en": "Skipped: {n}"},
    # -- command line ----------------------------------------------------------------------
    "cli_no_sets": {"fr": "Aucune série de questions trouvée.", "en": "No question sets found."},
    "cli_n_questions": {"fr": "{n} questions", "en": "{n} questions"},
    "cli_invalid": {"fr": "invalide : {problem}", "en": "invalid: {problem}"},
    "cli_problems": {
        "fr": "{n} problème(s) dans {files} fichier(s)",
        "en": "{n} problem(s) in {files} file(s)",
    },
    "cli_new_done": {
        "fr": "{path} écrit : modifiez-le, vérifiez-le avec `gmmp-quiz validate {path}`, "
        "puis ajoutez-le à vos séries avec `gmmp-quiz add {path}`",
        "en": "wrote {path}: edit it, check it with `gmmp-quiz validate {path}`, then add it to "
        "your sets with `gmmp-quiz add {path}`",
    },
    "cli_no_own_sets": {
        "fr": "Aucune série à vous dans {path} (gmmp-quiz new, import ou add en créent).",
        "en": "No sets of your own in {path} (gmmp-quiz new, import or add make them).",
    },
    "cli_add_already": {
        "fr": "{path} est déjà parmi vos séries",
        "en": "{path} is already among your sets",
    },
    "cli_add_done": {
        "fr": "« {id} » ajoutée ({count}) : {path}",
        "en": "added '{id}' ({count}): {path}",
    },
    "cli_imported_n": {
        "fr": "{n} questions importées, {skipped} ignorées",
        "en": "{n} questions imported, {skipped} skipped",
    },
    "cli_export_done": {
        "fr": "« {id} » exportée ({count}) dans {path}",
        "en": "exported '{id}' ({count}) to {path}",
    },
    "cli_stats_totals": {
        "fr": "Profil {profile} : {attempts} réponses, {correct} justes",
        "en": "Profile {profile}: {attempts} answers, {correct} right",
    },
    "cli_col_set": {"fr": "série", "en": "set"},
    "cli_col_questions": {"fr": "questions", "en": "questions"},
    "cli_col_seen": {"fr": "vues", "en": "seen"},
    "cli_col_mastered": {"fr": "maîtrisées", "en": "mastered"},
    "cli_col_due": {"fr": "à revoir", "en": "due"},
    "cli_col_missed": {"fr": "erreurs", "en": "missed"},
    "cli_stats_orphans": {
        "fr": "{n} question(s) avec une progression ne sont plus dans leur série ;\n"
        "`gmmp-quiz doctor` les liste (elles sont gardées).",
        "en": "{n} question(s) with progress are no longer in their set;\n"
        "run `gmmp-quiz doctor` to list them (they are kept).",
    },
    "cli_doctor_store": {"fr": "Progression : {path}", "en": "Store: {path}"},
    "cli_doctor_counts": {
        "fr": "{questions} question(s) avec une progression, "
        "{attempts} réponse(s) dans l'historique",
        "en": "{questions} question(s) with progress, {attempts} answer(s) in history",
    },
    "cli_doctor_repaired": {"fr": "réparé : {text}", "en": "repaired: {text}"},
    "cli_doctor_problem": {"fr": "problème : {text}", "en": "problem: {text}"},
    "cli_doctor_no_sets": {
        "fr": "séries de questions indisponibles : questions orphelines non vérifiées",
        "en": "question sets not available: orphans not checked",
    },
    "cli_doctor_orphans": {
        "fr": "{n} question(s) avec une progression absentes des séries chargées (gardées) :",
        "en": "{n} question(s) with progress are not in the loaded sets (kept):",
    },
    "cli_doctor_orphan": {
        "fr": "{attempts} réponse(s), {why}",
        "en": "{attempts} answer(s), {why}",
    },
    "cli_doctor_set_missing": {"fr": "série introuvable", "en": "set not found"},
    "cli_doctor_not_in_set": {"fr": "question absente de la série", "en": "question not in set"},
    "cli_doctor_ok": {"fr": "Aucun problème.", "en": "No problems found."},
    "cli_exported": {
        "fr": "{n} réponse(s) exportée(s) dans {path}",
        "en": "Exported {n} answer(s) to {path}",
    },
    "cli_import_nothing": {"fr": "Rien de nouveau dans {path}.", "en": "Nothing new in {path}."},
    "cli_imported": {
        "fr": "Importé : {attempts} réponse(s), {states} état(s) de question, {sessions} "
        "séance(s) ; sauvegarde dans {backup}",
        "en": "Imported {attempts} answer(s), {states} question state(s), {sessions} session(s); "
        "backup in {backup}",
    },
    "cli_reset_set": {"fr": "la série « {id} »", "en": "set '{id}'"},
    "cli_reset_all": {"fr": "toutes les séries", "en": "every set"},
    "cli_reset_done": {
        "fr": "Progression de {what} effacée ; sauvegarde dans {backup}",
        "en": "Progress of {what} erased; backup in {backup}",
    },
    "palette_search": {"fr": "Chercher une commande…", "en": "Search for commands…"},
    "sys_theme": {"fr": "Thème", "en": "Theme"},
    "sys_theme_help": {"fr": "Changer le thème de couleurs", "en": "Change the colour theme"},
    "sys_quit": {"fr": "Quitter", "en": "Quit"},
    "sys_quit_help": {
        "fr": "Quitter l'application (les réponses sont déjà enregistrées)",
        "en": "Quit the application (answers are already saved)",
    },
    "sys_keys": {"fr": "Touches", "en": "Keys"},
    "sys_keys_help": {
        "fr": "Montrer ou cacher le panneau des touches",
        "en": "Show or hide the panel of keys",
    },
    "sys_minimize": {"fr": "Réduire", "en": "Minimize"},
    "sys_minimize_help": {
        "fr": "Rendre au widget agrandi sa taille normale",
        "en": "Restore the maximized widget to its normal size",
    },
    "sys_maximize": {"fr": "Agrandir", "en": "Maximize"},
    "sys_maximize_help": {
        "fr": "Agrandir le widget qui a le focus",
        "en": "Maximize the focused widget",
    },
    "sys_screenshot": {"fr": "Capture d'écran", "en": "Screenshot"},
    "sys_screenshot_help": {
        "fr": "Enregistrer l'écran en SVG",
        "en": "Save an SVG screenshot of the screen",
    },
    "plain_quit": {
        "fr": "Arrêt demandé : les réponses données sont enregistrées.",
        "en": "Stopped: the answers given are saved.",
    },
    "plain_eof": {
        "fr": "Fin de l'entrée : les réponses données sont enregistrées.",
        "en": "End of input: the answers given are saved.",
    },
}

# The help: per language, sections of (keys, what they do) rows. The help screen lays each row
# out with the keys in a column of their own, so that descriptions wrap under themselves.
HelpSection = tuple[str, tuple[tuple[str, str], ...]]
HELP: dict[str, tuple[HelpSection, ...]] = {
    "en": (
        (
            "Home",
            (
                ("↑/↓", "choose a set"),
                ("Enter", "start the chosen mode (Tab: the list of modes)"),
                ("1 / 2 / 3", "Quiz · Review due · Retry missed"),
                ("c", "10 / 20 / all questions in a quiz"),
                ("m · t", "missed questions · stats"),
                ("a · Ctrl+R", "add sets · reload sets"),
                ("Ctrl+P", "command palette: any set in any mode, light/dark theme, settings"),
                ("? · q", "this help · quit"),
            ),
        ),
        (
            "Answering",
            (
                ("choice", "1-9 picks and answers (↑/↓ then Enter too)"),
                ("multi", "1-9 or Space tick [x] / untick [ ], Enter submits"),
                ("true/false", "t (or v) true, f false, or 1 / 2"),
                ("short", "type, Enter submits"),
                ("numeric", "type the number (a unit may follow), Enter submits"),
                ("cloze", "one box per gap, Tab moves, Enter submits"),
                ("order", "↑/↓ select, Shift+↑/↓ (or k/j) move, Enter submits"),
                ("match", "a digit picks a left item, a letter its partner; Enter submits"),
                ("flashcard", "Space flips, then 1 again · 2 hard · 3 good · 4 easy"),
                ("s", "skip (Ctrl+S in a text box)"),
                ("Escape / q", "leave, after asking; answers are saved as given"),
                ("", "Keys pressed in the first moment a question is shown are ignored."),
            ),
        ),
        (
            "After answering",
            (
                ("Enter/Space", "next question"),
                ("PgDn", "the rest of the feedback, when “More below” shows"),
                ("i", "“I was right” (typed answers judged wrong)"),
                ("u", "undo the answer and ask again"),
            ),
        ),
        (
            "Missed questions (m)",
            (
                ("r · Enter", "retry all until right · retry the chosen one"),
                ("k", "mark as known (off the list)"),
                ("f · /", "filter (set, tag, section) · search"),
            ),
        ),
        (
            "Add sets (a)",
            (
                ("i", "import a file (GIFT, Anki/CSV/TSV, Open Trivia DB)"),
                ("n · w", "new set · write a question (Ctrl+O preview, Ctrl+S save)"),
                ("r", "reload from disk"),
            ),
        ),
        (
            "Modes and words",
            (
                ("Quiz", "10, 20 or all questions, shuffled; missed ones come back until right"),
                ("Review due", "what the spaced-repetition schedule says is due"),
                ("Missed", "a question whose latest answer was not right (Retry missed)"),
                ("Mastered", "right, and expected to be remembered for three weeks or more"),
                ("Theme", "Ctrl+P, then “Theme”: light or dark, kept for next time"),
            ),
        ),
    ),
    "fr": (
        (
            "Accueil",
            (
                ("↑/↓", "choisir une série"),
                ("Entrée", "lancer le mode choisi (Tab : la liste des modes)"),
                ("1 / 2 / 3", "Quiz · Révision du jour · Reprendre les erreurs"),
                ("c", "10 / 20 / toutes les questions d’un quiz"),
                ("m · t", "erreurs · statistiques"),
                ("a · Ctrl+R", "ajouter des séries · recharger"),
                ("Ctrl+P", "palette : toute série dans tout mode, thème clair ou sombre, réglages"),
                ("? · q", "cette aide · quitter l’application"),
            ),
        ),
        (
            "Répondre",
            (
                ("choix", "1-9 choisit et répond (↑/↓ puis Entrée aussi)"),
                ("choix multiple", "1-9 ou Espace cochent [x] / décochent [ ], Entrée valide"),
                ("vrai/faux", "v (ou t) vrai, f faux, ou 1 / 2"),
                ("courte", "tapez, Entrée valide"),
                ("nombre", "tapez le nombre (une unité peut suivre), Entrée valide"),
                ("texte à trous", "une case par trou, Tab passe à la suivante, Entrée valide"),
                ("ordre", "↑/↓ choisir, Maj+↑/↓ (ou k/j) déplacer, Entrée valide"),
                ("association", "un chiffre choisit à gauche, une lettre à droite ; Entrée valide"),
                ("carte", "Espace retourne, puis 1 à revoir · 2 difficile · 3 bien · 4 facile"),
                ("s", "passer (Ctrl+S dans une case)"),
                ("Échap / q", "quitter le quiz, après confirmation ; tout est enregistré"),
                ("", "Les touches pressées à l’instant où une question s’affiche sont ignorées."),
            ),
        ),
        (
            "Après la réponse",
            (
                ("Entrée/Espace", "question suivante"),
                ("PgDn", "la suite du retour, quand « La suite plus bas » s’affiche"),
                ("i", "« j’avais raison » (réponse tapée jugée fausse)"),
                ("u", "annuler la réponse et reposer la question"),
            ),
        ),
        (
            "Erreurs (m)",
            (
                ("r · Entrée", "les reprendre toutes jusqu’à être justes · reprendre celle-ci"),
                ("k", "je la sais (la retirer de la liste)"),
                ("f · /", "filtrer (série, thème, section) · chercher"),
            ),
        ),
        (
            "Ajouter des séries (a)",
            (
                ("i", "importer un fichier (GIFT, Anki/CSV/TSV, Open Trivia DB)"),
                (
                    "n · w",
                    "nouvelle série · écrire une question (Ctrl+O aperçu, Ctrl+S enregistrer)",
                ),
                ("r", "recharger depuis le disque"),
            ),
        ),
        (
            "Modes et mots",
            (
                ("Quiz", "10, 20 ou toutes les questions, mélangées ; les erreurs reviennent"),
                ("Révision du jour", "ce que la répétition espacée demande de revoir"),
                ("Erreur", "question dont la dernière réponse n’était pas juste"),
                ("Maîtrisée", "juste, et retenue pour trois semaines ou plus selon le calendrier"),
                ("Thème", "Ctrl+P, puis « Thème » : clair ou sombre, gardé pour la suite"),
            ),
        ),
    ),
}


def detect_lang(explicit: str | None = None) -> str:
    """The interface language: `--lang`, else the locale's when it is French, else English."""
    if explicit in LANGS:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "fr" if code.lower().startswith("fr") else "en"


def t(key: str, lang: str, **values: object) -> str:
    """The interface string `key` in `lang` (English when missing), formatted with `values`."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    text = text.format(**values) if values else text
    return typeset(text, lang)


NNBSP = "\u202f"  # narrow no-break space: before ? ! ; and inside « »
NBSP = "\u00a0"  # no-break space: before :
# A space (or none) before ? ! ; », after «, before a colon that ends a word or label. URLs and
# times ("https://", "9:30") keep their colon: only a colon preceded by a space is touched.
_BEFORE_TALL = re.compile(r"[ \u00a0\u202f]*([?!;»])")
_AFTER_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+:")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_PERCENT = re.compile(r"(?<=\d)[ \u00a0\u202f]?%")


def typeset(text: str, lang: str | None) -> str:
    """French typography for French text: no-break spaces before ? ! ; : and inside « », and
    the typographic apostrophe between letters.

    Shown text only (never what is graded or stored): a line then never starts with "?" or "»".
    """
    if not lang or not lang.startswith("fr") or not text:
        return text
    if "'" in text:
        text = _APOSTROPHE.sub("’", text)  # "l'article" -> "l’article", as the set writes it
    if not any(c in text for c in "?!;:«»%"):
        return text
    text = _BEFORE_TALL.sub(lambda m: _tall(m, text), text)
    text = _AFTER_GUILLEMET.sub("«" + NNBSP, text)
    text = _PERCENT.sub(NNBSP + "%", text)
    return _BEFORE_COLON.sub(NBSP + ":", text)


def _tall(match: re.Match[str], text: str) -> str:
    mark = match.group(1)
    start, end = match.start(), match.end()
    prev = text[start - 1] if start else "\n"
    if prev == "\n":
        return mark  # at the start of a line: nothing to glue to
    if match.group(0) != mark:
        return NNBSP + mark  # a space was there: make it the right, unbreakable one
    after = text[end] if end < len(text) else " "
    # No space was there: add one only in prose ("Quoi?" then a space or the end), never
    # inside a URL or a code ("?q=1", "&amp;") or between marks ("?!").
    if (prev.isalnum() or prev in "»)\"'’") and (after.isspace() or after in "?!;»)\"'’.,"):
        return NNBSP + mark
    return mark


MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
}


def short_date(when: datetime | None, lang: str, *, time: bool = True) -> str:
    """A local date (and time) the way each language writes it: "14 janv. 09:30", "Jan 14 09:30"."""
    if when is None:
        return "—"
    local = when.astimezone()
    month = MONTHS.get(lang, MONTHS["en"])[local.month - 1]
    day = f"{local.day} {month}" if lang == "fr" else f"{month} {local.day}"
    return f"{day} {local:%H:%M}" if time else day


def percent(value: float, lang: str) -> str:
    """A share (0..1) as a whole percentage: "80%", or "80 %" (narrow no-break space) in French."""
    return f"{round(value * 100)}{NNBSP if lang.startswith('fr') else ''}%"


def colon(label: str, lang: str) -> str:
    """A label followed by a colon, spaced the French way in French."""
    return f"{typeset(label, lang)}{NBSP}: " if lang == "fr" else f"{label}: "
