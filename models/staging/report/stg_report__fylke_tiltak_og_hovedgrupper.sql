{{ stage_report_seed(
    ref('report_fylke_tiltak_og_hovedgrupper'),
    table_code='fylke_tiltak_hovedgruppe'
) }}
